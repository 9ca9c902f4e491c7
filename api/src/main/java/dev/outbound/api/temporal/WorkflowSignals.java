package dev.outbound.api.temporal;

import dev.outbound.api.web.WorkflowServiceUnavailableException;
import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.CampaignInput;
import dev.outbound.workflows.CampaignWorkflow;
import dev.outbound.workflows.InboxWatch;
import dev.outbound.workflows.InboxWatchers;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.LeadSequences;
import dev.outbound.workflows.TaskQueues;
import dev.outbound.workflows.WorkflowIds;
import io.grpc.StatusRuntimeException;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The API's only door to Temporal. Campaign signals go through signal-with-start, so a signal also
 * starts the campaign workflow when it is missing (e.g. a start whose Temporal call failed after
 * the database commit); the workflow's signals are idempotent, so repeating a call is always safe.
 */
@Component
public class WorkflowSignals {

  private final WorkflowClient client;

  private java.time.Duration inboxSession = java.time.Duration.ofMinutes(5);

  /** The watcher's reading session length, {@code outbound.inbound.watch.session} (5 minutes). */
  @org.springframework.beans.factory.annotation.Autowired(required = false)
  void setInboxSession(
      @org.springframework.beans.factory.annotation.Value("${outbound.inbound.watch.session:5m}")
          java.time.Duration session) {
    this.inboxSession = session;
  }

  public WorkflowSignals(WorkflowClient client) {
    this.client = client;
  }

  /** Asks the campaign workflow to enrol the campaign's pending leads, starting it if needed. */
  public void enrolPending(long clientId, long campaignId) {
    signalCampaign(clientId, campaignId, (batch, workflow) -> batch.add(workflow::enrolPending));
  }

  /** Sends a pause, resume or stop to the campaign workflow, starting it if needed. */
  public void control(long clientId, long campaignId, CampaignAction action) {
    signalCampaign(clientId, campaignId, (batch, workflow) -> batch.add(workflow::control, action));
  }

  /**
   * Signals one lead's sequence.
   *
   * @return {@code false} when the lead has no running workflow (never started or already ended)
   */
  public boolean signalLead(long campaignId, long leadId, Consumer<LeadSequenceWorkflow> signal) {
    LeadSequenceWorkflow workflow =
        client.newWorkflowStub(
            LeadSequenceWorkflow.class, WorkflowIds.leadSequence(campaignId, leadId));
    try {
      signal.accept(workflow);
      return true;
    } catch (WorkflowNotFoundException e) {
      return false;
    } catch (WorkflowException | StatusRuntimeException e) {
      throw unavailable(e);
    }
  }

  /**
   * Signals one started, unfinished lead's sequence so that it acts now, also while its start is
   * delayed until its first step ({@link LeadSequences#signal}); for an operator's pause and
   * resume, which the database does not record before the sequence does.
   *
   * @return {@code false} when the sequence has ended
   */
  public boolean controlLead(
      long clientId,
      long campaignId,
      long leadId,
      BiConsumer<BatchRequest, LeadSequenceWorkflow> signal) {
    try {
      return LeadSequences.signal(client, new LeadRef(clientId, campaignId, leadId), signal);
    } catch (WorkflowException | StatusRuntimeException e) {
      throw unavailable(e);
    }
  }

  /**
   * Makes sure the mailbox's inbox watcher runs ({@link InboxWatchers#ensureRunning}); a running
   * one is left as it is. With {@code credentialsChanged}, it also tells the watcher to try the
   * login now (a watcher waiting after a refused login).
   */
  public void watchInbox(long clientId, long mailboxId, boolean credentialsChanged) {
    InboxWatch watch = InboxWatch.of(clientId, mailboxId, (int) inboxSession.toSeconds());
    try {
      if (credentialsChanged) {
        InboxWatchers.credentialsChanged(client, watch);
      } else {
        InboxWatchers.ensureRunning(client, watch);
      }
    } catch (WorkflowException | StatusRuntimeException e) {
      throw unavailable(e);
    }
  }

  private void signalCampaign(
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
    try {
      client.signalWithStart(batch);
    } catch (WorkflowException | StatusRuntimeException e) {
      throw unavailable(e);
    }
  }

  private static WorkflowServiceUnavailableException unavailable(RuntimeException e) {
    return new WorkflowServiceUnavailableException(
        "The change is saved, but the workflow service did not take it. Repeat the request:"
            + " it is safe to repeat and completes the change.",
        e);
  }
}
