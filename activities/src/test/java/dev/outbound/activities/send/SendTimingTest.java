package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.workflows.LeadSequenceWorkflowImpl;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The send activity's own time limits fit inside the limits the workflow gives it: otherwise an
 * attempt that is still recording an accepted email would be timed out and retried, and the retry
 * would find the step ambiguous.
 */
class SendTimingTest {

  @Test
  void theCommitBudgetLeavesRoomInsideTheSendTimeout() {
    assertThat(SentRecorder.COMMIT_BUDGET)
        .isLessThan(LeadSequenceWorkflowImpl.SEND_START_TO_CLOSE.minus(Duration.ofSeconds(20)));
  }

  @Test
  void theActivityHeartbeatsWellWithinTheHeartbeatTimeout() {
    assertThat(SendActivitiesImpl.HEARTBEAT_PERIOD.multipliedBy(3))
        .isLessThanOrEqualTo(LeadSequenceWorkflowImpl.SEND_HEARTBEAT_TIMEOUT);
  }
}
