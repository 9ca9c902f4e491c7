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
}
