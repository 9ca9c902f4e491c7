package dev.outbound.workflows;

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
 * #campaignStopped}), which ends the sequence at once. {@link #pause} holds the sequence (a step
 * falling due while paused goes out on {@link #resume}); {@link #resume} also releases a lead that
 * is held for a reason an operator fixed.
 *
 * <p>Signals are idempotent: a second pause, resume or stop changes nothing. Sending is idempotent
 * in the activity (send ledger), so a replayed or retried step never sends twice. {@link #status}
 * answers the current step, the next due time and the last outcome.
 */
@WorkflowInterface
public interface LeadSequenceWorkflow {

  /** Runs the sequence to its end and returns the lead's final status. */
  @WorkflowMethod
  LeadStatus run(LeadRef lead);

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

  @QueryMethod
  LeadSequenceStatus status();
}
