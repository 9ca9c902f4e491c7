package dev.outbound.activities.send;

import dev.outbound.crm.sequence.SendLedgerStore.FollowUp;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.workflows.PlannedStep;
import java.time.Instant;

/**
 * Where the sequence goes after a step sent by {@code sendStepAndSchedule}: the next step, or none
 * after the last. The send records it in the transaction that records the email, so that an email
 * costs one activity instead of a send and a CRM write.
 *
 * @param next the step after this one, or {@code null} after the last
 * @param totalSteps the sequence's number of steps, for the completion's detail
 */
record FollowUpPlan(PlannedStep next, int totalSteps) {

  /**
   * What the send's transaction records after step {@code stepIndex}, the next step due from now.
   */
  FollowUp followUp(int stepIndex, Instant now) {
    if (next == null) {
      return new FollowUp(
          LeadStatus.COMPLETED.name(),
          null,
          "COMPLETED step " + stepIndex,
          TimelineEvent.COMPLETED,
          stepIndex,
          "all " + totalSteps + " steps handled");
    }
    return new FollowUp(
        LeadStatus.ACTIVE.name(),
        now.plusSeconds(next.delaySeconds()),
        "SCHEDULED step " + next.index(),
        TimelineEvent.SCHEDULED,
        next.index(),
        "step " + next.index() + " due in " + next.delaySeconds() + "s");
  }
}
