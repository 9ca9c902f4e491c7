package dev.outbound.workflows;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.util.function.BiConsumer;

/**
 * Signals a lead's running sequence so that it acts now, also while its start is delayed until its
 * first step is due (the campaign's enrolment starts it so). Temporal keeps a plain signal to a
 * delayed workflow until the delay ends; a signal-with-start ends the delay and the workflow
 * handles the signal at once (its handlers run before the workflow method decides anything), so a
 * paused or stopped lead shows as such everywhere straight away.
 *
 * <p>The start half of that request must never start anything: the sequence is looked up first and
 * only a running one is signalled (one that ends in between is protected by the ID's reuse policy,
 * which rejects a start once a sequence ran). A lead whose sequence never ran, or whose closed
 * sequence Temporal no longer keeps, gets no signal and no sequence.
 */
public final class LeadSequences {

  private LeadSequences() {}

  /**
   * Adds {@code signal} (e.g. {@code (batch, w) -> batch.add(w::pause)}) for the lead's sequence.
   *
   * @return false when the lead has no running sequence (nothing was signalled)
   */
  public static boolean signal(
      WorkflowClient client, LeadRef lead, BiConsumer<BatchRequest, LeadSequenceWorkflow> signal) {
    try {
      WorkflowExecutionStatus status =
          client.newUntypedWorkflowStub(lead.workflowId()).describe().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return false;
      }
    } catch (WorkflowNotFoundException e) {
      return false;
    }
    LeadSequenceWorkflow sequence =
        client.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(lead.workflowId())
                .setTaskQueue(TaskQueues.OUTBOUND)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    BatchRequest batch = client.newSignalWithStartRequest();
    // Never used to start (see above); a sequence started so would load its own plan.
    batch.add(sequence::run, lead, null);
    signal.accept(batch, sequence);
    try {
      client.signalWithStart(batch);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      // The reuse policy refused a start: the sequence ran and has ended.
      return false;
    }
  }
}
