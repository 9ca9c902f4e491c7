package dev.outbound.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One per started campaign; ID from {@link WorkflowIds#campaign}. Started with signal-with-start by
 * the API.
 *
 * <p>Enrols the campaign's leads durably in batches (each batch an activity that starts lead
 * sequences idempotently), then waits for {@link #enrolPending} (leads added later) and {@link
 * #control} (pause, resume, stop), which it fans out to every lead sequence in batches. Continues
 * as new when its history grows, carrying controls not yet fanned out. Ends after a stop has been
 * fanned out.
 */
@WorkflowInterface
public interface CampaignWorkflow {

  @WorkflowMethod
  void run(CampaignInput input);

  /** Enrol leads added since the last enrolment. Idempotent. */
  @SignalMethod
  void enrolPending();

  /** Fan out a pause, resume or stop to every lead sequence, in the order received. */
  @SignalMethod
  void control(CampaignAction action);

  @QueryMethod
  CampaignProgress progress();
}
