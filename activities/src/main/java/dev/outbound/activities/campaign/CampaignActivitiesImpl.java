package dev.outbound.activities.campaign;

import dev.outbound.activities.ActivityFailures;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.CampaignActivities;
import dev.outbound.workflows.FanOutPage;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.OutboundSearchAttributes;
import dev.outbound.workflows.TaskQueues;
import dev.outbound.workflows.WorkflowIds;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * See {@link CampaignActivities}. Starts are idempotent because the workflow ID is the business key
 * (campaign, lead) and duplicates are rejected: a retried batch finds its earlier starts and counts
 * them. Each lead heartbeats, so a worker that dies mid-batch is noticed by the heartbeat timeout
 * rather than the whole start-to-close timeout.
 */
@Component("campaignActivities")
public class CampaignActivitiesImpl implements CampaignActivities {

  private static final Logger log = LoggerFactory.getLogger(CampaignActivitiesImpl.class);

  /** Workflow starts in flight at once per enrolment batch. */
  static final int PARALLEL_STARTS = 8;

  private final EnrolmentStore enrolments;
  private final WorkflowClient client;
  private final ExecutorService starter;

  public CampaignActivitiesImpl(EnrolmentStore enrolments, WorkflowClient client) {
    this.enrolments = enrolments;
    this.client = client;
    this.starter =
        Executors.newFixedThreadPool(
            PARALLEL_STARTS,
            runnable -> {
              Thread thread = new Thread(runnable, "outbound-enrolment-start");
              thread.setDaemon(true);
              return thread;
            });
  }

  @PreDestroy
  void shutdown() {
    starter.shutdown();
  }

  /**
   * The start's result, or its own exception (a failed start fails the batch, which is retried).
   */
  private static long join(CompletableFuture<Long> start) {
    try {
      return start.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public FanOutPage enrolPending(long clientId, long campaignId, int batchSize) {
    int limit = Math.max(1, batchSize);
    String campaignStatus = campaignStatus(clientId, campaignId);
    if ("STOPPED".equals(campaignStatus)) {
      // Starting sequences only for them to stop at once would cost a workflow each; the leads are
      // closed here instead, with the reason on their timelines.
      List<Long> stopped =
          enrolments.stopPending(
              clientId, campaignId, limit, "campaign stopped before the sequence started");
      Activity.getExecutionContext().heartbeat(stopped.size());
      return page(stopped, 0, stopped.size() == limit);
    }
    // One row more than the batch tells whether another batch has work, without an empty call.
    List<Long> found = enrolments.pending(clientId, campaignId, 0, limit + 1);
    boolean more = found.size() > limit;
    List<Long> pending = more ? found.subList(0, limit) : found;
    // Starts go out a few at a time: each is one round trip to Temporal, which against a remote
    // cluster is the cost that matters. Progress is heartbeated from the activity's own thread.
    ActivityExecutionContext context = Activity.getExecutionContext();
    List<Long> started = new ArrayList<>(pending.size());
    for (int from = 0; from < pending.size(); from += PARALLEL_STARTS) {
      List<Long> slice = pending.subList(from, Math.min(pending.size(), from + PARALLEL_STARTS));
      List<CompletableFuture<Long>> starts = new ArrayList<>(slice.size());
      for (long leadId : slice) {
        starts.add(
            CompletableFuture.supplyAsync(
                () -> {
                  start(clientId, campaignId, leadId);
                  return leadId;
                },
                starter));
      }
      for (CompletableFuture<Long> start : starts) {
        started.add(join(start));
      }
      enrolments.markStarted(clientId, campaignId, slice);
      context.heartbeat(slice.get(slice.size() - 1));
    }
    log.info("Enrolled {} leads of campaign {}", started.size(), campaignId);
    return page(pending, 0, more);
  }

  @Override
  public FanOutPage signalLeads(
      long clientId, long campaignId, CampaignAction action, long afterLeadId, int batchSize) {
    int limit = Math.max(1, batchSize);
    campaignStatus(clientId, campaignId);
    List<Long> found = enrolments.running(clientId, campaignId, afterLeadId, limit + 1);
    boolean more = found.size() > limit;
    List<Long> running = more ? found.subList(0, limit) : found;
    int skipped = 0;
    for (long leadId : running) {
      LeadSequenceWorkflow sequence =
          client.newWorkflowStub(
              LeadSequenceWorkflow.class, WorkflowIds.leadSequence(campaignId, leadId));
      try {
        // The campaign's own signals, not the operator's pause and resume: a campaign resume must
        // not release a lead that an operator paused.
        switch (action) {
          case PAUSE -> sequence.campaignPaused();
          case RESUME -> sequence.campaignResumed();
          case STOP -> sequence.campaignStopped();
        }
      } catch (WorkflowNotFoundException e) {
        // The sequence ended after the page was read (or never ran): nothing left to tell it.
        skipped++;
      }
      Activity.getExecutionContext().heartbeat(leadId);
    }
    log.info(
        "Sent {} to {} leads of campaign {} ({} already closed)",
        action,
        running.size() - skipped,
        campaignId,
        skipped);
    return page(running, afterLeadId, more);
  }

  private void start(long clientId, long campaignId, long leadId) {
    String workflowId = WorkflowIds.leadSequence(campaignId, leadId);
    LeadRef lead = new LeadRef(clientId, campaignId, leadId);
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.OUTBOUND)
            // Never a second sequence for the same (campaign, lead), not even after the first
            // ended.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setStaticSummary(OutboundSearchAttributes.summaryOf(lead))
            .setStaticDetails(OutboundSearchAttributes.detailsOf(lead))
            // Filterable in the Web UI from the start; the workflow upserts status and step.
            .setTypedSearchAttributes(OutboundSearchAttributes.atStart(lead))
            .build();
    LeadSequenceWorkflow sequence = client.newWorkflowStub(LeadSequenceWorkflow.class, options);
    try {
      WorkflowClient.start(sequence::run, lead);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // A retried batch, or a start by the API: the sequence exists, which is all this wants.
      log.debug("Sequence {} already exists", workflowId);
    }
  }

  private String campaignStatus(long clientId, long campaignId) {
    return enrolments
        .campaignStatus(clientId, campaignId)
        .orElseThrow(
            () ->
                ActivityFailures.notFound(
                    "campaign " + campaignId + " does not exist for client " + clientId));
  }

  private static FanOutPage page(List<Long> ids, long after, boolean more) {
    long last = ids.isEmpty() ? after : ids.get(ids.size() - 1);
    return new FanOutPage(ids.size(), last, more);
  }
}
