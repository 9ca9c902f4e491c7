package dev.outbound.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** CRM reads and writes a lead sequence needs. All are idempotent. */
@ActivityInterface
public interface LeadActivities {

  /**
   * Loads the campaign's steps and where the lead stands; marks the lead active unless terminal.
   */
  @ActivityMethod
  SequencePlan begin(LeadRef lead);

  /**
   * Records a change of the lead's status, step and next due time, with a timeline event. A lead
   * whose status is already terminal keeps it: a late non-terminal update never overwrites a reply.
   */
  @ActivityMethod
  void record(LeadProgress progress);
}
