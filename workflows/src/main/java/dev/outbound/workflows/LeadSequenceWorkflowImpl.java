package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.SearchAttributes;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** See {@link LeadSequenceWorkflow}. Deterministic: workflow time, timers and activities only. */
public class LeadSequenceWorkflowImpl implements LeadSequenceWorkflow {

  private static final Logger log = Workflow.getLogger(LeadSequenceWorkflowImpl.class);

  /**
   * A lead held because its campaign is paused re-checks the campaign this often, in case the
   * resume signal crossed the send that found the campaign paused.
   */
  static final Duration CAMPAIGN_PAUSE_RECHECK = Duration.ofMinutes(30);

  /**
   * From version 1 on (change {@link #SEND_V2}), a lead held by its campaign's pause re-checks the
   * campaign this often: the campaign's resume signal is the normal way out, this is a safety net.
   */
  static final Duration CAMPAIGN_PAUSE_SAFETY_RECHECK = Duration.ofHours(6);

  /**
   * Version gate for the changes of 2026-11 (replay histories {@code *-v1.json} predate them,
   * {@code *-v2.json} show them): a send that a pause or a stop interrupts is cancelled, mailbox
   * problems hold the lead instead of failing it, a stop that arrives during the last send wins
   * over completion, and a campaign pause holds the lead like an operator pause (with its own
   * resume).
   */
  static final String SEND_V2 = "send-v2";

  /**
   * Version gate (asked only when a send comes back ambiguous; history {@code
   * lead-sequence-v3-ambiguous.json}): from version 1 on, an ambiguous step holds the lead until an
   * operator resolves it (mark sent, or allow one resend) instead of going on to the next step, so
   * no follow-up answers an email that may never have arrived.
   */
  static final String AMBIGUOUS_HOLD = "ambiguous-hold";

  /**
   * A lead held on an ambiguous step asks the ledger again this often, in case the operator's
   * resolution was written but its signal was lost.
   */
  static final Duration AMBIGUITY_RECHECK = Duration.ofHours(6);

  /**
   * Version gate for the Web UI (histories {@code lead-sequence-v4*.json}): from version 1 on the
   * workflow upserts its status and step as search attributes when its status changes, keeps its
   * current details up to date, and names its timers and activities ("wait for step 2 until ...").
   * IDs, step numbers and times only, never personal data.
   */
  static final String LEGIBLE = "legible-v1";

  /**
   * Version gate for the cost of a step (history {@code lead-sequence-v5*.json}): from version 1
   * on, an email costs a timer and one activity (two billable Temporal actions instead of three).
   * The send activity records the next step {@code SCHEDULED} (or the lead {@code COMPLETED} after
   * the last one) in the transaction that records the send, and returns the next due time the
   * workflow then waits for ({@link SendActivities#sendStepAndSchedule}); the first step's {@code
   * SCHEDULED} comes from the starter with the plan when it passes one (the campaign's enrolment),
   * and the lead's status search attribute given at the start is not upserted again.
   */
  static final String LEAN_STEP = "lean-step-v1";

  /** A deferral never sends again sooner than this (guards against a zero or past deferral). */
  static final Duration MIN_DEFERRAL = Duration.ofSeconds(1);

  /**
   * Sends take at most one SMTP exchange (bounded by the mailer's own deadline) per attempt. A send
   * that is running or waiting for its next retry is not cancelled by a pause or a stop: stops are
   * recorded in PostgreSQL before they are signalled, and every attempt checks them there, so a
   * retrying send ends with {@link SendOutcome#LEAD_STOPPED} or {@link
   * SendOutcome#CAMPAIGN_STOPPED} at its next attempt; a pause holds the lead once the send in
   * progress has finished.
   */
  private static final Duration SEND_START_TO_CLOSE = Duration.ofMinutes(5);

  private static final Duration SEND_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Sending: transient SMTP and database errors retry with backoff for as long as they last (the
   * ledger makes retries safe); permanent rejections are non-retryable failures and end the lead as
   * failed.
   */
  private static final ActivityOptions SEND_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(SEND_START_TO_CLOSE)
          // The activity heartbeats while it works: a worker that dies mid-send is noticed in 30 s
          // and the send retried elsewhere (safe: claim and content_started in the ledger).
          .setHeartbeatTimeout(SEND_HEARTBEAT_TIMEOUT)
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(10))
                  .setDoNotRetry(FailureType.names())
                  .build())
          .build();

  private final SendActivities send = Workflow.newActivityStub(SendActivities.class, SEND_OPTIONS);

  /** CRM writes are short; a database outage is waited out. */
  private final LeadActivities crm =
      Workflow.newActivityStub(
          LeadActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofSeconds(30))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setBackoffCoefficient(2.0)
                      .setMaximumInterval(Duration.ofMinutes(1))
                      .setDoNotRetry(FailureType.names())
                      .build())
              .build());

  private LeadRef lead;
  private LeadStatus status = LeadStatus.PENDING;
  private StopReason stopReason;
  private int version = Workflow.DEFAULT_VERSION;
  private boolean paused;
  private boolean pausedByCampaign;
  private int resumeCount;
  private int campaignResumeCount;
  private int currentStep;
  private int totalSteps;
  private Long nextDueAt;
  private String lastOutcome = "enrolled";
  private Long awayUntil;
  private int ambiguityResolutions;
  private int legible = Workflow.DEFAULT_VERSION;
  private LeadStatus shownStatus;
  private int lean = Workflow.DEFAULT_VERSION;
  private boolean completionRecorded;

  @Override
  public LeadStatus run(LeadRef lead, SequencePlan given) {
    this.lead = lead;
    version = Workflow.getVersion(SEND_V2, Workflow.DEFAULT_VERSION, 1);
    legible = Workflow.getVersion(LEGIBLE, Workflow.DEFAULT_VERSION, 1);
    lean = Workflow.getVersion(LEAN_STEP, Workflow.DEFAULT_VERSION, 1);
    // A plan from the starter saves an activity per lead; histories from before it carry none.
    SequencePlan plan = given != null ? given : crm.begin(lead);
    totalSteps = plan.steps().size();
    currentStep = plan.lastSentStep();
    if (lean >= 1) {
      shownStatus = statusGivenAtStart();
    }
    if (plan.terminalStatus() != null) {
      status = plan.terminalStatus();
      lastOutcome = "already " + status;
      show();
      return status;
    }
    status = LeadStatus.ACTIVE;
    show();

    List<PlannedStep> steps = plan.steps();
    boolean first = true;
    for (int i = 0; i < steps.size(); i++) {
      PlannedStep step = steps.get(i);
      if (step.index() <= plan.lastSentStep()) {
        continue;
      }
      if (lean < 1) {
        scheduleHere(step);
      } else if (first) {
        // Later steps were scheduled by the previous step's send (its result holds the due time).
        if (plan.firstDueAtMillis() != null) {
          nextDueAt = plan.firstDueAtMillis();
        } else {
          scheduleHere(step);
        }
      }
      first = false;
      if (!waitUntilDue(step.index())) {
        return finishStopped();
      }
      PlannedStep next = i + 1 < steps.size() ? steps.get(i + 1) : null;
      LeadStatus ended = sendStep(step.index(), next);
      if (ended != null) {
        show();
        return ended;
      }
    }
    if (version >= 1 && stopReason != null) {
      // A stop that arrived while the last step was being sent: the lead replied (or similar), and
      // that is what its status must say, not "completed".
      return finishStopped();
    }
    nextDueAt = null;
    status = LeadStatus.COMPLETED;
    lastOutcome = "completed after step " + currentStep;
    if (!completionRecorded) {
      crm.record(progress("COMPLETED", currentStep, "all " + totalSteps + " steps handled"));
    }
    show();
    return status;
  }

  /** Sets the step's due time from workflow time and records it ({@code SCHEDULED}). */
  private void scheduleHere(PlannedStep step) {
    nextDueAt = Workflow.currentTimeMillis() + Duration.ofSeconds(step.delaySeconds()).toMillis();
    crm.record(
        progress(
            "SCHEDULED",
            step.index(),
            "step " + step.index() + " due in " + step.delaySeconds() + "s"));
  }

  /**
   * After a step went out (from version {@link #LEAN_STEP} on): the send activity recorded the next
   * step's due time, or the completion after the last step, and the workflow takes them from its
   * result. A result without a due time (an activity that could not tell) is scheduled here.
   */
  private void afterSent(PlannedStep next, SendResult result) {
    if (next == null) {
      completionRecorded = true;
      nextDueAt = null;
    } else if (result.nextDueAt() != null) {
      nextDueAt = result.nextDueAt();
    } else {
      scheduleHere(next);
    }
  }

  /**
   * The lead status search attribute the starter gave, when the step attribute matches the current
   * step too, so {@link #show} does not upsert what the start already set (an upsert is billable,
   * attributes given at the start are not).
   */
  private LeadStatus statusGivenAtStart() {
    SearchAttributes given = Workflow.getTypedSearchAttributes();
    String name = given.get(OutboundSearchAttributes.LEAD_STATUS);
    Long step = given.get(OutboundSearchAttributes.STEP);
    if (name == null || step == null || step != currentStep) {
      return null;
    }
    for (LeadStatus candidate : LeadStatus.values()) {
      if (candidate.name().equals(name)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Waits until {@link #nextDueAt}, holding while paused. Returns false when a stop arrived. A step
   * that fell due while the lead was paused is sent as soon as it is resumed.
   */
  private boolean waitUntilDue(int stepIndex) {
    while (true) {
      if (stopReason != null) {
        return false;
      }
      if (isPaused()) {
        holdWhilePaused(stepIndex, pauseReason());
        continue;
      }
      if (awayUntil != null && awayUntil > nextDueAt) {
        // An out-of-office reply moves the step to the lead's return; the sequence goes on from
        // there.
        nextDueAt = awayUntil;
        lastOutcome = "out of office until " + Instant.ofEpochMilli(awayUntil);
        crm.record(
            progress(
                "OUT_OF_OFFICE",
                stepIndex,
                "step " + stepIndex + " waits until the lead is back: " + lastOutcome));
      }
      long remaining = nextDueAt - Workflow.currentTimeMillis();
      if (remaining <= 0) {
        return true;
      }
      Long awayBefore = awayUntil;
      show();
      // A timer raced against the signals: a stop, a pause or an out-of-office reply acts at once,
      // not when the timer fires.
      awaitNamed(
          Duration.ofMillis(remaining),
          "wait for step "
              + stepIndex
              + " of "
              + totalSteps
              + " until "
              + Instant.ofEpochMilli(nextDueAt)
              + " (UTC)",
          () -> isPaused() || stopReason != null || !Objects.equals(awayUntil, awayBefore));
    }
  }

  private void holdWhilePaused(int stepIndex, String why) {
    if (version < 1 || status != LeadStatus.PAUSED) {
      status = LeadStatus.PAUSED;
      crm.record(progress("PAUSED", stepIndex, why));
      show();
    }
    while (isPaused() && stopReason == null) {
      if (paused) {
        Workflow.await(() -> !isPaused() || stopReason != null);
      } else {
        // Only the campaign holds the lead: its resume signal releases it; the database is checked
        // again now and then in case that signal crossed the send that found the campaign paused.
        boolean released =
            awaitNamed(
                CAMPAIGN_PAUSE_SAFETY_RECHECK,
                "campaign paused: re-check the campaign",
                () -> !isPaused() || stopReason != null);
        if (!released) {
          // Still PAUSED as far as anyone can tell: try the send, which reads the campaign again.
          pausedByCampaign = false;
          return;
        }
      }
    }
    if (stopReason == null) {
      status = LeadStatus.ACTIVE;
      crm.record(progress("RESUMED", stepIndex, "resumed; step " + stepIndex + " due as planned"));
    }
  }

  /**
   * Sends one step; returns the final status when the sequence ends here, or null to go on.
   *
   * @param next the step after it, or null after the last (from version {@link #LEAN_STEP} on the
   *     send activity records it)
   */
  private LeadStatus sendStep(int stepIndex, PlannedStep next) {
    while (true) {
      if (stopReason != null) {
        return finishStopped();
      }
      if (isPaused()) {
        holdWhilePaused(stepIndex, pauseReason() + " before sending step " + stepIndex);
        continue;
      }
      int resumesBefore = resumeCount;
      int campaignResumesBefore = campaignResumeCount;
      SendResult result;
      try {
        result =
            lean >= 1
                ? sendStub(stepIndex).sendStepAndSchedule(lead, stepIndex, next, totalSteps)
                : sendStub(stepIndex).sendStep(lead, stepIndex);
      } catch (ActivityFailure failure) {
        if (version >= 1 && isMailboxProblem(failure)) {
          result = SendResult.of(SendOutcome.HELD, null, reasonOf(failure));
        } else {
          return finishFailed(stepIndex, failure);
        }
      }
      lastOutcome = result.outcome() + " step " + stepIndex;
      switch (result.outcome()) {
        case SENT, ALREADY_SENT -> {
          currentStep = stepIndex;
          if (version >= 1) {
            status = LeadStatus.ACTIVE;
          }
          if (lean >= 1) {
            afterSent(next, result);
          }
          return null;
        }
        case AMBIGUOUS -> {
          // An ambiguous step is not sent again silently (DESIGN.md section 2); the activity
          // flagged it.
          if (Workflow.getVersion(AMBIGUOUS_HOLD, Workflow.DEFAULT_VERSION, 1)
              == Workflow.DEFAULT_VERSION) {
            currentStep = stepIndex;
            if (version >= 1) {
              status = LeadStatus.ACTIVE;
            }
            if (lean >= 1 && next != null) {
              // Not reached by a workflow this new (its ambiguous steps hold), but if it were: the
              // activity recorded nothing for an ambiguous step.
              scheduleHere(next);
            }
            return null;
          }
          holdWhileAmbiguous(stepIndex, result);
        }
        case DEFERRED -> {
          // Not yet: the window is closed or the mailbox is full until the time the activity
          // computed (and wrote to the lead's record). Wait for it like for a due time.
          status = LeadStatus.ACTIVE;
          long earliest = Workflow.currentTimeMillis() + MIN_DEFERRAL.toMillis();
          nextDueAt =
              result.deferUntil() == null ? earliest : Math.max(result.deferUntil(), earliest);
          if (!waitUntilDue(stepIndex)) {
            return finishStopped();
          }
        }
        case HELD -> {
          status = LeadStatus.HELD;
          nextDueAt = null;
          crm.record(progress("HELD", stepIndex, result.detail()));
          show();
          Workflow.await(() -> resumeCount != resumesBefore || stopReason != null);
          if (stopReason == null) {
            status = LeadStatus.ACTIVE;
            nextDueAt = Workflow.currentTimeMillis();
            crm.record(
                progress("RESUMED", stepIndex, "released from hold; retrying step " + stepIndex));
          }
        }
        case CAMPAIGN_PAUSED -> {
          if (version >= 1) {
            // Held like a paused campaign's signal would hold it, unless the resume crossed this
            // send (then the next attempt goes out at once).
            if (campaignResumeCount == campaignResumesBefore && resumeCount == resumesBefore) {
              pausedByCampaign = true;
            }
            continue;
          }
          if (status != LeadStatus.PAUSED) {
            status = LeadStatus.PAUSED;
            crm.record(progress("PAUSED", stepIndex, "campaign paused"));
          }
          // Retry the send (which re-checks the campaign) on resume, or after a while in case the
          // resume signal crossed the send that found the campaign paused.
          Workflow.await(
              CAMPAIGN_PAUSE_RECHECK, () -> resumeCount != resumesBefore || stopReason != null);
        }
        case LEAD_STOPPED -> {
          status = result.leadStatus() == null ? LeadStatus.STOPPED : result.leadStatus();
          nextDueAt = null;
          return status;
        }
        case CAMPAIGN_STOPPED -> {
          stopReason = StopReason.CAMPAIGN_STOPPED;
          return finishStopped();
        }
        default -> throw new IllegalStateException("unknown send outcome " + result.outcome());
      }
    }
  }

  /**
   * Holds the lead on an ambiguous step until an operator resolves it through the API ({@link
   * #ambiguityResolved}), a stop arrives, or the periodic re-check comes round; the caller then
   * asks the send activity again, which answers from the ledger: already sent (marked sent), sent
   * now (one resend allowed), or still ambiguous (held again, without a second timeline entry).
   */
  private void holdWhileAmbiguous(int stepIndex, SendResult result) {
    nextDueAt = null;
    if (status != LeadStatus.HELD) {
      status = LeadStatus.HELD;
      crm.record(
          progress(
              "HELD",
              stepIndex,
              "step "
                  + stepIndex
                  + " may or may not have been delivered ("
                  + result.detail()
                  + "); an operator marks it sent or allows one resend"));
      show();
    }
    int resolutionsBefore = ambiguityResolutions;
    awaitNamed(
        AMBIGUITY_RECHECK,
        "step " + stepIndex + " ambiguous: re-check the ledger",
        () -> ambiguityResolutions != resolutionsBefore || stopReason != null);
  }

  /**
   * {@code Workflow.await(timeout, condition)} with a named timer from version {@link #LEGIBLE} on
   * (the summary shows in the Web UI); like it, the timer is cancelled when the condition wins.
   * Returns false when the time ran out.
   */
  private boolean awaitNamed(Duration timeout, String summary, Supplier<Boolean> condition) {
    if (legible < 1) {
      return Workflow.await(timeout, condition);
    }
    return NamedTimers.await(timeout, summary, condition);
  }

  /** The send stub, named after the step from version {@link #LEGIBLE} on. */
  private SendActivities sendStub(int stepIndex) {
    if (legible < 1) {
      return send;
    }
    return Workflow.newActivityStub(
        SendActivities.class,
        SEND_OPTIONS.toBuilder()
            .setSummary("send step " + stepIndex + " of " + totalSteps)
            .build());
  }

  /**
   * Shows the status in the Web UI from version {@link #LEGIBLE} on: the current details always
   * (free), the search attributes when the status changed (one upsert per change, not per step, to
   * keep the cost per email low).
   */
  private void show() {
    if (legible < 1) {
      return;
    }
    Workflow.setCurrentDetails(
        status
            + ", step "
            + currentStep
            + " of "
            + totalSteps
            + (nextDueAt == null ? "" : ", next due " + Instant.ofEpochMilli(nextDueAt) + " (UTC)")
            + "; last: "
            + lastOutcome);
    if (status != shownStatus) {
      shownStatus = status;
      Workflow.upsertTypedSearchAttributes(
          OutboundSearchAttributes.LEAD_STATUS.valueSet(status.name()),
          OutboundSearchAttributes.STEP.valueSet((long) currentStep));
    }
  }

  private static boolean isMailboxProblem(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure app
        && FailureType.MAILBOX_MISCONFIGURED.name().equals(app.getType());
  }

  private boolean isPaused() {
    return paused || pausedByCampaign;
  }

  private String pauseReason() {
    return paused ? "paused" : "campaign paused";
  }

  private LeadStatus finishStopped() {
    status = stopReason.status();
    nextDueAt = null;
    lastOutcome = "stopped: " + stopReason;
    crm.record(progress(stopReason.name(), currentStep, "sequence stopped: " + stopReason));
    show();
    return status;
  }

  private LeadStatus finishFailed(int stepIndex, ActivityFailure failure) {
    String reason = reasonOf(failure);
    log.warn("Lead sequence {} failed at step {}: {}", lead.workflowId(), stepIndex, reason);
    status = LeadStatus.FAILED;
    nextDueAt = null;
    lastOutcome = "failed step " + stepIndex;
    crm.record(progress("FAILED", stepIndex, reason));
    show();
    return status;
  }

  private static String reasonOf(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getType() + ": " + app.getOriginalMessage();
    }
    if (cause instanceof TemporalFailure temporal) {
      return temporal.getOriginalMessage();
    }
    return String.valueOf(failure.getMessage());
  }

  private LeadProgress progress(String event, int step, String detail) {
    return new LeadProgress(lead, status, currentStep, nextDueAt, event, step, detail);
  }

  private void stop(StopReason reason) {
    if (stopReason == null && (status == null || !status.isTerminal())) {
      stopReason = reason;
    }
  }

  @Override
  public void replied() {
    stop(StopReason.REPLIED);
  }

  @Override
  public void bounced() {
    stop(StopReason.BOUNCED);
  }

  @Override
  public void unsubscribed() {
    stop(StopReason.UNSUBSCRIBED);
  }

  @Override
  public void meetingBooked() {
    stop(StopReason.MEETING_BOOKED);
  }

  @Override
  public void campaignStopped() {
    stop(StopReason.CAMPAIGN_STOPPED);
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
    resumeCount++;
  }

  @Override
  public void campaignPaused() {
    pausedByCampaign = true;
  }

  @Override
  public void campaignResumed() {
    pausedByCampaign = false;
    campaignResumeCount++;
    // A campaign-wide release also frees leads held for a reason fixed campaign-wide (a mailbox).
    resumeCount++;
  }

  @Override
  public void outOfOfficeUntil(long untilEpochMillis) {
    awayUntil = untilEpochMillis;
  }

  @Override
  public void ambiguityResolved() {
    ambiguityResolutions++;
  }

  @Override
  public LeadSequenceStatus status() {
    return new LeadSequenceStatus(status, currentStep, totalSteps, nextDueAt, lastOutcome);
  }
}
