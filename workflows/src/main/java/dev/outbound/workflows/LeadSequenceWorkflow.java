package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One lead's email sequence in one campaign; ID from {@link WorkflowIds#leadSequence}.
 *
 * <p>Waits for each step with a durable timer, sends it through {@link SendActivities}, and records
 * the progress through {@link LeadActivities}. Every wait is cut short by a stop signal ({@link
 * #replied}, {@link #bounced}, {@link #unsubscribed}, {@link #meetingBooked}, {@link
 * #campaignStopped}), which ends the sequence at once. A step the activity defers (send window
 * closed, mailbox capacity used up) waits for the time the activity computed; an out-of-office
 * reply ({@link #outOfOfficeUntil}) moves the next step to the lead's return; an ambiguous step
 * holds the lead until an operator resolves it ({@link #ambiguityResolved}). {@link #pause} holds
 * the sequence (a step falling due while paused goes out on {@link #resume}); {@link #resume} also
 * releases a lead that is held for a reason an operator fixed.
 *
 * <p>Signals are idempotent: a second pause, resume or stop changes nothing. Sending is idempotent
 * in the activity (send ledger), so a replayed or retried step never sends twice. {@link #status}
 * answers the current step, the next due time and the last outcome.
 */
@WorkflowInterface
public interface LeadSequenceWorkflow {

  /**
   * Runs the sequence to its end and returns the lead's final status.
   *
   * @param lead the lead (IDs only)
   * @param plan the steps and the first due time, when the starter loaded them and recorded the
   *     first {@code SCHEDULED} (the campaign's enrolment does, for a whole page of leads at once);
   *     {@code null} (also in histories from before this parameter) makes the workflow load them
   *     itself through {@link LeadActivities#begin}
   */
  @WorkflowMethod
  LeadStatus run(LeadRef lead, SequencePlan plan);

  @SignalMethod
  void replied();

  @SignalMethod
  void bounced();

  @SignalMethod
  void unsubscribed();

  @SignalMethod
  void meetingBooked();

  @SignalMethod
  void campaignStopped();

  /** An operator holds this lead. Only {@link #resume} releases it (a campaign resume does not). */
  @SignalMethod
  void pause();

  /** An operator releases this lead from a pause or a hold. */
  @SignalMethod
  void resume();

  /** The campaign was paused: hold until {@link #campaignResumed}. */
  @SignalMethod
  void campaignPaused();

  /** The campaign was resumed: go on unless an operator paused this lead itself. */
  @SignalMethod
  void campaignResumed();

  /**
   * An out-of-office reply said the lead is away until {@code untilEpochMillis} (already including
   * any grace days): no step goes out before then; the sequence then goes on where it was. A later
   * date moves the hold further; a step already moved to a return date is not brought forward again
   * by an earlier one.
   */
  @SignalMethod
  void outOfOfficeUntil(long untilEpochMillis);

  /**
   * An operator resolved an ambiguous step (marked it sent, or allowed one resend) in the database:
   * the held lead asks the send activity again, which now answers from the ledger. Without this
   * signal the held lead still re-checks now and then.
   */
  @SignalMethod
  void ambiguityResolved();

  @QueryMethod
  LeadSequenceStatus status();
}
