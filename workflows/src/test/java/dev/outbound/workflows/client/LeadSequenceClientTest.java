package dev.outbound.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.OutboundSearchAttributes;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SequencePlan;
import dev.outbound.workflows.StopReason;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the lead sequence client starts and which signal each of its calls sends. */
@Timeout(60)
class LeadSequenceClientTest {

  private static final AtomicLong LEADS = new AtomicLong();

  private final ClientTestServer server = new ClientTestServer();
  private final LeadSequenceClient sequences = new LeadSequenceClient(server.client);

  @AfterEach
  void close() {
    server.close();
  }

  /** A lead whose sequence runs (no worker: it stays open), started without a plan. */
  private LeadRef running() {
    LeadRef lead = new LeadRef(3, 12, LEADS.incrementAndGet());
    assertThat(sequences.start(lead, null, System.currentTimeMillis())).isTrue();
    return lead;
  }

  @Test
  void eachStopReasonReachesTheSequenceAsItsOwnSignal() {
    for (StopReason reason : StopReason.values()) {
      LeadRef lead = running();

      assertThat(sequences.stop(lead, reason)).isTrue();

      String expected =
          switch (reason) {
            case REPLIED -> "replied";
            case BOUNCED -> "bounced";
            case UNSUBSCRIBED -> "unsubscribed";
            case MEETING_BOOKED -> "meetingBooked";
            case CAMPAIGN_STOPPED -> "campaignStopped";
          };
      assertThat(server.signals(lead.workflowId())).as(reason.name()).containsExactly(expected);
      assertThat(server.starts(lead.workflowId())).isEqualTo(1);
    }
  }

  @Test
  void theCampaignsActionsAreItsOwnSignalsAndItsStopIsAStop() {
    LeadRef lead = running();

    sequences.campaignAction(lead, CampaignAction.PAUSE);
    sequences.campaignAction(lead, CampaignAction.RESUME);
    sequences.campaignAction(lead, CampaignAction.STOP);

    assertThat(server.signals(lead.workflowId()))
        .containsExactly("campaignPaused", "campaignResumed", "campaignStopped");
  }

  @Test
  void operatorAndDirectSignals() {
    LeadRef lead = running();

    assertThat(sequences.pause(lead)).isTrue();
    assertThat(sequences.resume(lead)).isTrue();
    assertThat(sequences.resumeHeld(lead)).isTrue();
    assertThat(sequences.outOfOfficeUntil(lead, 1_000L)).isTrue();
    assertThat(sequences.ambiguityResolved(lead)).isTrue();

    assertThat(server.signals(lead.workflowId()))
        .containsExactly("pause", "resume", "resume", "outOfOfficeUntil", "ambiguityResolved");
  }

  @Test
  void aLeadWithoutARunningSequenceGetsNoSignalAndNoSequence() {
    LeadRef neverRan = new LeadRef(3, 12, LEADS.incrementAndGet());
    LeadRef ended = running();
    server.client.newUntypedWorkflowStub(ended.workflowId()).terminate("test: it ended");

    for (LeadRef lead : List.of(neverRan, ended)) {
      assertThat(sequences.stop(lead, StopReason.REPLIED)).isFalse();
      assertThat(sequences.pause(lead)).isFalse();
      assertThat(sequences.resumeHeld(lead)).isFalse();
      assertThat(sequences.outOfOfficeUntil(lead, 1_000L)).isFalse();
      assertThat(sequences.ambiguityResolved(lead)).isFalse();
    }
    assertThatThrownBy(() -> server.history(neverRan.workflowId())).isNotNull();
    assertThat(server.client.newUntypedWorkflowStub(ended.workflowId()).describe().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assertThat(server.starts(ended.workflowId())).isEqualTo(1);
  }

  @Test
  void aSecondStartFindsTheFirstSequence() {
    LeadRef lead = running();

    assertThat(sequences.start(lead, null, System.currentTimeMillis())).isFalse();
    assertThat(server.starts(lead.workflowId())).isEqualTo(1);
  }

  @Test
  void aPlannedLeadStartsActiveAndDelayedUntilItsFirstStepIsDue() {
    LeadRef lead = new LeadRef(3, 12, LEADS.incrementAndGet());
    long now = System.currentTimeMillis();
    SequencePlan plan =
        new SequencePlan(List.of(new PlannedStep(1, 3_600)), 0, null, now + 3_600_000L);

    sequences.start(lead, plan, now);

    WorkflowExecutionStartedEventAttributes started =
        server.history(lead.workflowId()).get(0).getWorkflowExecutionStartedEventAttributes();
    assertThat(started.getFirstWorkflowTaskBackoff().getSeconds()).isEqualTo(3_600L);
    assertThat(
            server
                .client
                .newUntypedWorkflowStub(lead.workflowId())
                .describe()
                .getTypedSearchAttributes()
                .get(OutboundSearchAttributes.LEAD_STATUS))
        .isEqualTo("ACTIVE");
  }

  @Test
  void aStepDueWithinASecondOrAnEndedLeadStartsAtOnce() {
    long now = 1_000_000L;
    List<PlannedStep> steps = List.of(new PlannedStep(1, 0));

    assertThat(LeadSequenceClient.startDelay(null, now)).isNull();
    assertThat(LeadSequenceClient.startDelay(new SequencePlan(steps, 0, null, now + 999), now))
        .isNull();
    assertThat(
            LeadSequenceClient.startDelay(
                new SequencePlan(steps, 0, LeadStatus.REPLIED, now + 60_000), now))
        .isNull();
    assertThat(LeadSequenceClient.startDelay(new SequencePlan(steps, 0, null, now + 1_000), now))
        .isEqualTo(Duration.ofSeconds(1));
  }
}
