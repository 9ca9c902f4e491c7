package dev.outbound.activities.campaign;

import dev.outbound.activities.ActivityFailures;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.CampaignActivities;
import dev.outbound.workflows.FanOutPage;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SequencePlan;
import dev.outbound.workflows.client.LeadSequenceClient;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * See {@link CampaignActivities}. Starts are idempotent because the workflow ID is the business key
 * (campaign, lead) and duplicates are rejected: a retried batch finds its earlier starts and counts
 * them, so a crash mid-launch neither loses nor doubles a lead. Progress is heartbeated every
 * {@link #MARK_CHUNK} leads, so a worker that dies mid-batch is noticed by the heartbeat timeout
 * rather than the whole start-to-close timeout.
 *
 * <p>A page does for its leads what each sequence's first activity used to do (mark the lead
 * active, its first step scheduled, the timeline events) in three statements, then starts the
 * sequences ({@link LeadSequenceClient#start}) with the plan and the first due time as their input
 * and their status as a start attribute: a new sequence runs one workflow task and waits on its
 * first timer, without an activity or an upsert.
 */
@Component("campaignActivities")
public class CampaignActivitiesImpl implements CampaignActivities {

  private static final Logger log = LoggerFactory.getLogger(CampaignActivitiesImpl.class);

  /** Leads marked started (and heartbeated) at once, as their starts complete in order. */
  static final int MARK_CHUNK = 100;

  /** Leads activated by one statement; the first starts of a page wait only for the first one. */
  static final int ACTIVATE_CHUNK = 200;

  private final EnrolmentStore enrolments;
  private final LeadSequenceClient sequences;
  private final ExecutorService starter;
  private final Clock clock;

  public CampaignActivitiesImpl(EnrolmentStore enrolments, WorkflowClient client) {
    this(enrolments, client, EnrolmentProperties.defaults());
  }

  @Autowired
  public CampaignActivitiesImpl(
      EnrolmentStore enrolments, WorkflowClient client, EnrolmentProperties properties) {
    this.enrolments = enrolments;
    this.sequences = new LeadSequenceClient(client);
    this.clock = Clock.systemUTC();
    // The pool's size is the bound on starts in flight; its queue holds at most one page.
    this.starter =
        Executors.newFixedThreadPool(
            properties.startConcurrency(),
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
    List<PlannedStep> steps =
        enrolments.steps(clientId, campaignId).stream()
            .map(step -> new PlannedStep(step.index(), step.delaySeconds()))
            .toList();
    // Every start is queued as soon as its lead is activated; the pool keeps startConcurrency of
    // them in flight (each is one round trip to Temporal, the cost that matters against a remote
    // cluster). Leads are activated ACTIVATE_CHUNK at a time, so the first starts go out after a
    // small statement and the rest of the page is activated while they run. They are marked started
    // and heartbeated from the activity's own thread, in order, as they complete.
    ActivityExecutionContext context = Activity.getExecutionContext();
    List<CompletableFuture<Long>> starts = new ArrayList<>(pending.size());
    for (int from = 0; from < pending.size(); from += ACTIVATE_CHUNK) {
      List<Long> chunk = pending.subList(from, Math.min(pending.size(), from + ACTIVATE_CHUNK));
      Map<Long, SequencePlan> plans = plans(clientId, campaignId, steps, chunk);
      for (long leadId : chunk) {
        SequencePlan plan = plans.get(leadId);
        starts.add(
            CompletableFuture.supplyAsync(
                () -> {
                  start(clientId, campaignId, leadId, plan);
                  return leadId;
                },
                starter));
      }
    }
    List<Long> done = new ArrayList<>(MARK_CHUNK);
    int started = 0;
    try {
      for (CompletableFuture<Long> start : starts) {
        done.add(join(start));
        if (done.size() == MARK_CHUNK) {
          started += markStarted(context, clientId, campaignId, done);
        }
      }
      started += markStarted(context, clientId, campaignId, done);
    } finally {
      // A failed start fails the page (it is retried); the starts still queued are not wanted.
      starts.forEach(start -> start.cancel(false));
    }
    log.info("Enrolled {} leads of campaign {}", started, campaignId);
    return page(pending, 0, more);
  }

  private int markStarted(
      ActivityExecutionContext context, long clientId, long campaignId, List<Long> done) {
    int n = done.size();
    if (n > 0) {
      enrolments.markStarted(clientId, campaignId, done);
      context.heartbeat(done.get(n - 1));
      done.clear();
    }
    return n;
  }

  /**
   * The plans of these leads (a chunk of a page): activated with their first step scheduled (what
   * each sequence's {@code begin} and first {@code SCHEDULED} used to write), and the campaign's
   * steps. A campaign without steps gets no plans: its sequences load their own (and find nothing
   * to send).
   */
  private Map<Long, SequencePlan> plans(
      long clientId, long campaignId, List<PlannedStep> steps, List<Long> pending) {
    Map<Long, SequencePlan> plans = new HashMap<>();
    if (steps.isEmpty() || pending.isEmpty()) {
      return plans;
    }
    for (EnrolmentStore.Activation activation :
        enrolments.activateForStart(
            clientId,
            campaignId,
            pending,
            steps.size(),
            steps.get(0).delaySeconds(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS))) {
      LeadStatus status = LeadStatus.valueOf(activation.status());
      plans.put(
          activation.enrolmentId(),
          status.isTerminal() || activation.firstDueAt() == null
              ? new SequencePlan(steps, 0, status.isTerminal() ? status : null)
              : new SequencePlan(steps, 0, null, activation.firstDueAt().toEpochMilli()));
    }
    return plans;
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
      // The campaign's own signals, not the operator's pause and resume: a campaign resume must
      // not release a lead that an operator paused. They act at once, also on a sequence still
      // waiting for its first step (start delay), rather than when it is due.
      boolean signalled =
          sequences.campaignAction(new LeadRef(clientId, campaignId, leadId), action);
      if (!signalled) {
        // The sequence ended after the page was read: nothing left to tell it.
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

  private void start(long clientId, long campaignId, long leadId, SequencePlan plan) {
    LeadRef lead = new LeadRef(clientId, campaignId, leadId);
    if (!sequences.start(lead, plan, clock.millis())) {
      // A retried batch, or a start by the API: the sequence exists, which is all this wants.
      log.debug("Sequence {} already exists", lead.workflowId());
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
