package dev.outbound.worker.observability;

import io.sentry.IScopes;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which activity and workflow failures are worth a human's attention and sends those to
 * Sentry, tagged with internal IDs only.
 */
class TemporalErrorReporter {

  static final String WORKFLOW_TYPE = "workflow.type";
  static final String WORKFLOW_ID = "workflow.id";
  static final String ACTIVITY_TYPE = "activity.type";
  static final String FAILURE_KIND = "failure.kind";

  private static final Logger log = LoggerFactory.getLogger(TemporalErrorReporter.class);
  private static final int REMEMBERED_RUNS = 1000;

  private final IScopes sentry;
  private final Set<String> expectedFailureTypes;

  /**
   * Runs whose workflow task failure was reported: a failing task is retried until the code is
   * fixed, and each retry would otherwise report the same bug again.
   */
  private final Map<String, Boolean> reportedTaskFailures =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > REMEMBERED_RUNS;
            }
          });

  TemporalErrorReporter(IScopes sentry, Set<String> expectedFailureTypes) {
    this.sentry = sentry;
    this.expectedFailureTypes = Set.copyOf(expectedFailureTypes);
  }

  /** Reports an activity attempt's failure if Temporal will not retry it and it is not expected. */
  void activityFailed(ActivityInfo info, Object[] arguments, RuntimeException failure) {
    if (failure instanceof ActivityCompletionException) {
      // Cancelled, timed out or its workflow is gone: Temporal's decision, not an error.
      return;
    }
    if (isExpected(failure) || !isFinalAttempt(info, failure)) {
      return;
    }
    Map<String, String> tags = WorkflowRefs.of(info.getWorkflowId(), arguments);
    tags.put(WORKFLOW_TYPE, info.getWorkflowType());
    tags.put(WORKFLOW_ID, info.getWorkflowId());
    tags.put(ACTIVITY_TYPE, info.getActivityType());
    tags.put(FAILURE_KIND, "activity");
    capture(failure, tags, "activity " + info.getActivityType(), info.getAttempt());
  }

  /**
   * Reports a workflow's failure (a {@link TemporalFailure} ends the run) or a bug that fails its
   * workflow task (any other exception; once per run). The caller skips replays.
   */
  void workflowFailed(
      String workflowType,
      String workflowId,
      String runId,
      Object[] arguments,
      RuntimeException e) {
    if (e instanceof CanceledFailure || isExpected(e)) {
      return;
    }
    boolean runFails = e instanceof TemporalFailure;
    if (!runFails && reportedTaskFailures.put(runId, Boolean.TRUE) != null) {
      return;
    }
    Map<String, String> tags = WorkflowRefs.of(workflowId, arguments);
    tags.put(WORKFLOW_TYPE, workflowType);
    tags.put(WORKFLOW_ID, workflowId);
    tags.put(FAILURE_KIND, runFails ? "workflow" : "workflow-task");
    capture(e, tags, "workflow " + workflowType, null);
  }

  /**
   * Whether Temporal will not run this activity again after this failure: the failure is
   * non-retryable (by the failure or by the retry policy's do-not-retry list), or this was the last
   * attempt the policy allows. With unlimited attempts (maximum 0) only non-retryable failures are
   * final, so an activity that retries through an outage reports nothing.
   */
  static boolean isFinalAttempt(ActivityInfo info, RuntimeException failure) {
    RetryOptions retry = info.getRetryOptions();
    if (failure instanceof ApplicationFailure app) {
      if (app.isNonRetryable()) {
        return true;
      }
      if (retry != null && retry.getDoNotRetry() != null) {
        for (String type : retry.getDoNotRetry()) {
          if (type.equals(app.getType())) {
            return true;
          }
        }
      }
    } else if (retry != null && retry.getDoNotRetry() != null) {
      for (String type : retry.getDoNotRetry()) {
        if (type.equals(failure.getClass().getName())) {
          return true;
        }
      }
    }
    int maximum = retry == null ? 0 : retry.getMaximumAttempts();
    return maximum > 0 && info.getAttempt() >= maximum;
  }

  private boolean isExpected(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app && expectedFailureTypes.contains(app.getType())) {
        return true;
      }
    }
    return false;
  }

  private void capture(
      RuntimeException failure, Map<String, String> tags, String transaction, Integer attempt) {
    try {
      SentryEvent event = new SentryEvent(failure);
      event.setLevel(SentryLevel.ERROR);
      event.setTransaction(transaction);
      tags.forEach(event::setTag);
      if (attempt != null) {
        event.setExtra("attempt", attempt);
      }
      sentry.captureEvent(event);
    } catch (RuntimeException e) {
      // Reporting must never change what the activity or workflow does.
      log.warn("Could not report a failure to Sentry: {}", e.toString());
    }
  }
}
