package dev.outbound.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;

/** See {@link CampaignWorkflow}. */
public class CampaignWorkflowImpl implements CampaignWorkflow {

  /** Leads per signal batch: one activity each, heartbeating per lead. */
  static final int BATCH_SIZE = 200;

  /**
   * Leads per enrolment batch: one activity each, which starts the batch's sequences with bounded
   * concurrency (CampaignActivitiesImpl). Larger than a signal batch because a page costs the
   * campaign's history six events whatever its size: 100,000 leads take 100 activities, one
   * continue-as-new-free run. (Only an activity argument: histories recorded with 200 replay.)
   */
  static final int ENROL_BATCH_SIZE = 1_000;

  /** Continue as new after this many history events, well below Temporal's limits. */
  static final int HISTORY_LIMIT = 4_000;

  private final CampaignActivities activities =
      Workflow.newActivityStub(
          CampaignActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(10))
              .setHeartbeatTimeout(Duration.ofSeconds(60))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setMaximumInterval(Duration.ofMinutes(1))
                      .setDoNotRetry(FailureType.names())
                      .build())
              .build());

  private final Deque<CampaignAction> actions = new ArrayDeque<>();
  private boolean enrolRequested = true;
  private long enrolled;
  private long signalled;
  private String lastAction = "none";
  private boolean stopped;

  @Override
  public void run(CampaignInput input) {
    actions.addAll(input.pendingActions());
    enrolled = input.enrolled();
    signalled = input.signalled();
    long after = input.fanOutAfter();
    while (true) {
      if (enrolRequested && !stopped) {
        enrolRequested = false;
        enrolAll(input);
      }
      while (!actions.isEmpty()) {
        // The action stays first in the queue until it is done, so a continue-as-new carries it.
        CampaignAction action = actions.peekFirst();
        if (after >= 0) {
          fanOut(input, action, after);
        }
        after = 0;
        if (action == CampaignAction.STOP) {
          stopped = true;
          // Leads enrolled but never started are stopped by the enrolment activity itself.
          enrolAll(input);
          return;
        }
        actions.pollFirst();
      }
      if (historyIsLong()) {
        continueAsNew(input, 0);
      }
      Workflow.await(() -> enrolRequested || !actions.isEmpty());
    }
  }

  private static boolean historyIsLong() {
    return Workflow.getInfo().getHistoryLength() > HISTORY_LIMIT
        || Workflow.getInfo().isContinueAsNewSuggested();
  }

  /** Continues as new, carrying the queued controls, the first one's cursor and the totals. */
  private void continueAsNew(CampaignInput input, long fanOutAfter) {
    Workflow.continueAsNew(
        new CampaignInput(
            input.clientId(),
            input.campaignId(),
            new ArrayList<>(actions),
            fanOutAfter,
            enrolled,
            signalled));
  }

  private void enrolAll(CampaignInput input) {
    FanOutPage page;
    do {
      if (historyIsLong()) {
        // The next run enrols on from where the database says this one got to; a STOP being
        // finished is carried with its fan-out marked complete.
        continueAsNew(input, stopped ? -1 : 0);
      }
      page = activities.enrolPending(input.clientId(), input.campaignId(), ENROL_BATCH_SIZE);
      enrolled += page.processed();
    } while (page.more());
  }

  private void fanOut(CampaignInput input, CampaignAction action, long startAfter) {
    lastAction = action.name();
    long after = startAfter;
    FanOutPage page;
    do {
      if (historyIsLong()) {
        continueAsNew(input, after);
      }
      page =
          activities.signalLeads(input.clientId(), input.campaignId(), action, after, BATCH_SIZE);
      signalled += page.processed();
      after = page.lastLeadId();
    } while (page.more());
  }

  @Override
  public void enrolPending() {
    enrolRequested = true;
  }

  @Override
  public void control(CampaignAction action) {
    // A repeated control is harmless (signals are idempotent) but wasteful; drop exact repeats.
    if (actions.isEmpty() || actions.peekLast() != action) {
      actions.addLast(action);
    }
  }

  @Override
  public CampaignProgress progress() {
    return new CampaignProgress(enrolled, signalled, lastAction, stopped);
  }
}
