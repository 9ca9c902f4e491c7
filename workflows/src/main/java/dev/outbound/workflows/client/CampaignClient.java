package dev.outbound.workflows.client;

import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.CampaignInput;
import dev.outbound.workflows.CampaignWorkflow;
import dev.outbound.workflows.TaskQueues;
import dev.outbound.workflows.WorkflowIds;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.function.BiConsumer;

/**
 * Signals a campaign's workflow ({@link CampaignWorkflow}). Every signal goes through
 * signal-with-start, so it also starts the workflow when it is missing (e.g. a start whose Temporal
 * call failed after the database commit); the workflow's signals are idempotent, so repeating a
 * call is always safe. Failures of the Temporal service reach the caller as thrown.
 */
public final class CampaignClient {

  private final WorkflowClient client;

  public CampaignClient(WorkflowClient client) {
    this.client = client;
  }

  /** Asks the campaign workflow to enrol the campaign's pending leads, starting it if needed. */
  public void enrolPending(long clientId, long campaignId) {
    signal(clientId, campaignId, (batch, workflow) -> batch.add(workflow::enrolPending));
  }

  /** Sends a pause, resume or stop to the campaign workflow, starting it if needed. */
  public void control(long clientId, long campaignId, CampaignAction action) {
    signal(clientId, campaignId, (batch, workflow) -> batch.add(workflow::control, action));
  }

  private void signal(
      long clientId, long campaignId, BiConsumer<BatchRequest, CampaignWorkflow> signal) {
    CampaignWorkflow workflow =
        client.newWorkflowStub(
            CampaignWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.campaign(campaignId))
                .setTaskQueue(TaskQueues.OUTBOUND)
                .build());
    BatchRequest batch = client.newSignalWithStartRequest();
    batch.add(workflow::run, new CampaignInput(clientId, campaignId));
    signal.accept(batch, workflow);
    client.signalWithStart(batch);
  }
}
