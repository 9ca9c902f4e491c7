package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.crm.sequence.SendLedgerStore.FollowUp;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.workflows.PlannedStep;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a send records about the sequence after its step. */
class FollowUpPlanTest {

  private static final Instant NOW = Instant.parse("2026-12-04T10:15:30.123Z");

  @Test
  void schedulesTheNextStepItsDelayFromNow() {
    FollowUp followUp = new FollowUpPlan(new PlannedStep(3, 86_400), 4).followUp(2, NOW);

    assertThat(followUp)
        .isEqualTo(
            new FollowUp(
                "ACTIVE",
                NOW.plusSeconds(86_400),
                "SCHEDULED step 3",
                TimelineEvent.SCHEDULED,
                3,
                "step 3 due in 86400s"));
  }

  @Test
  void completesTheLeadAfterTheLastStep() {
    FollowUp followUp = new FollowUpPlan(null, 4).followUp(4, NOW);

    assertThat(followUp)
        .isEqualTo(
            new FollowUp(
                "COMPLETED",
                null,
                "COMPLETED step 4",
                TimelineEvent.COMPLETED,
                4,
                "all 4 steps handled"));
  }
}
