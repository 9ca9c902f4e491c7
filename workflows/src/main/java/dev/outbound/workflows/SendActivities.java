package dev.outbound.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Sending one step of a lead's sequence over SMTP. */
@ActivityInterface
public interface SendActivities {

  /**
   * Sends step {@code stepIndex} to the lead, at most once ever.
   *
   * <p>Idempotent: the step is claimed in the send ledger under a unique (campaign, lead, step) key
   * before SMTP is spoken to, and the email's Message-ID is derived from that key. A retry that
   * finds the step sent returns {@link SendOutcome#ALREADY_SENT}; one that finds it claimed but
   * unfinished returns {@link SendOutcome#AMBIGUOUS} and sends nothing. The lead's and the
   * campaign's status are checked inside the activity too, so a stop that races the send wins.
   *
   * <p>Permanent rejections of the recipient and invalid lead addresses fail with a non-retryable
   * {@code ApplicationFailure} of a {@link FailureType}; problems of the sending mailbox return
   * {@link SendOutcome#HELD} (nothing sent); transient errors are thrown to be retried.
   */
  @ActivityMethod
  SendResult sendStep(LeadRef lead, int stepIndex);

  /**
   * {@link #sendStep}, and when the step is sent (or was sent before) it also records where the
   * sequence goes next, in the same transaction as the send: the next step {@code SCHEDULED} with
   * its due time (the lead's {@code next_send_at}, returned as {@link SendResult#nextDueAt}), or,
   * after the last step, the lead {@code COMPLETED}. One activity per email instead of a send and a
   * CRM write: an email costs a timer and this activity (two billable Temporal actions).
   *
   * <p>Nothing is recorded for other outcomes, and a lead that became terminal meanwhile (a reply
   * recorded while the email went out) keeps its status.
   *
   * @param next the step after this one, or {@code null} when this is the last
   * @param totalSteps how many steps the sequence has (for the timeline's wording)
   */
  @ActivityMethod
  SendResult sendStepAndSchedule(LeadRef lead, int stepIndex, PlannedStep next, int totalSteps);
}
