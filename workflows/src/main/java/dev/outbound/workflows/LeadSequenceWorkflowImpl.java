package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/**
 * See {@link LeadSequenceWorkflow}. Deterministic: workflow time, timers and activities only.
 *
 * <p>This class reads as the sequence a lead runs today: plan, wait for each step, send it, end.
 * What the signals change is in {@link LeadSequenceState}, the waits they cut short in {@link
 * LeadSequenceWaits}, what the Web UI shows in {@link LeadSequenceLegibility}, the activities'
 * timeouts and retries in {@link LeadSequenceActivityOptions}, the version gates in {@link
 * LeadSequenceVersions}, and the paths only older histories take in {@link SupersededLeadSequence}.
 */
public class LeadSequenceWorkflowImpl implements LeadSequenceWorkflow {

  /**
   * The send activity's start-to-close timeout. Other parts must fit inside it and are checked
   * against this constant: the worker's termination grace exceeds it (InfraManifestsTest), and the
   * send's commit budget and heartbeat period stay below it and below {@link
   * #SEND_HEARTBEAT_TIMEOUT} (the activities' SendTimingTest).
   */
  public static final Duration SEND_START_TO_CLOSE =
      LeadSequenceActivityOptions.SEND_START_TO_CLOSE;

  /** How long the send activity may go without a heartbeat before Temporal retries it elsewhere. */
  public static final Duration SEND_HEARTBEAT_TIMEOUT =
      LeadSequenceActivityOptions.SEND_HEARTBEAT_TIMEOUT;

  private static final Logger log = Workflow.getLogger(LeadSequenceWorkflowImpl.class);

  /**
   * From version 1 on (change {@link LeadSequenceVersions#SEND_V2}), a lead held by its campaign's
   * pause re-checks the campaign this often: the campaign's resume signal is the normal way out,
   * this is a safety net.
   */
  static final Duration CAMPAIGN_PAUSE_SAFETY_RECHECK = Duration.ofHours(6);

  /**
   * A lead held on an ambiguous step asks the ledger again this often, in case the operator's
   * resolution was written but its signal was lost.
   */
  static final Duration AMBIGUITY_RECHECK = Duration.ofHours(6);

  /** A deferral never sends again sooner than this (guards against a zero or past deferral). */
  static final Duration MIN_DEFERRAL = Duration.ofSeconds(1);

  private final LeadActivities crm =
      Workflow.newActivityStub(LeadActivities.class, LeadSequenceActivityOptions.CRM);

  private final LeadSequenceState state = new LeadSequenceState();
  private LeadSequenceVersions versions;
  private LeadSequenceLegibility ui;
  private LeadSequenceWaits waits;
  private SupersededLeadSequence superseded;
  private boolean completionRecorded;

  @Override
  public LeadStatus run(LeadRef lead, SequencePlan given) {
    state.lead = lead;
    versions = LeadSequenceVersions.askAtStart();
    ui = new LeadSequenceLegibility(versions.legible(), state);
    waits = new LeadSequenceWaits(state, versions, ui, crm);
    superseded = new SupersededLeadSequence(state, versions, crm);
    // A plan from the starter saves an activity per lead; histories from before it carry none.
    SequencePlan plan = given != null ? given : crm.begin(lead);
    state.totalSteps = plan.steps().size();
    state.currentStep = plan.lastSentStep();
    if (versions.lean()) {
      ui.takeStatusGivenAtStart();
    }
    if (plan.terminalStatus() != null) {
      state.status = plan.terminalStatus();
      state.lastOutcome = "already " + state.status;
      ui.show();
      return state.status;
    }
    state.status = LeadStatus.ACTIVE;
    ui.show();

    List<PlannedStep> steps = plan.steps();
    boolean first = true;
    for (int i = 0; i < steps.size(); i++) {
      PlannedStep step = steps.get(i);
      if (step.index() <= plan.lastSentStep()) {
        continue;
      }
      if (!versions.lean()) {
        // Before LEAN_STEP the workflow scheduled every step itself.
        scheduleHere(step);
      } else if (first) {
        // Later steps were scheduled by the previous step's send (its result holds the due time).
        if (plan.firstDueAtMillis() != null) {
          state.nextDueAt = plan.firstDueAtMillis();
        } else {
          scheduleHere(step);
        }
      }
      first = false;
      if (!waits.untilDue(step.index())) {
        return finishStopped();
      }
      PlannedStep next = i + 1 < steps.size() ? steps.get(i + 1) : null;
      LeadStatus ended = sendStep(step.index(), next);
      if (ended != null) {
        ui.show();
        return ended;
      }
    }
    if (versions.sendV2() && state.stopReason != null) {
      // A stop that arrived while the last step was being sent: the lead replied (or similar), and
      // that is what its status must say, not "completed".
      return finishStopped();
    }
    state.nextDueAt = null;
    state.status = LeadStatus.COMPLETED;
    state.lastOutcome = "completed after step " + state.currentStep;
    if (!completionRecorded) {
      record(
          TimelineEvent.COMPLETED, state.currentStep, "all " + state.totalSteps + " steps handled");
    }
    ui.show();
    return state.status;
  }

  /** Sets the step's due time from workflow time and records it ({@code SCHEDULED}). */
  private void scheduleHere(PlannedStep step) {
    crm.record(state.schedule(step));
  }

  /**
   * After a step went out (from version {@link LeadSequenceVersions#LEAN_STEP} on): the send
   * activity recorded the next step's due time, or the completion after the last step, and the
   * workflow takes them from its result. A result without a due time (an activity that could not
   * tell) is scheduled here.
   */
  private void afterSent(PlannedStep next, SendResult result) {
    if (next == null) {
      completionRecorded = true;
      state.nextDueAt = null;
    } else if (result.nextDueAt() != null) {
      state.nextDueAt = result.nextDueAt();
    } else {
      scheduleHere(next);
    }
  }

  /**
   * Sends one step; returns the final status when the sequence ends here, or null to go on.
   *
   * @param next the step after it, or null after the last (from version {@link
   *     LeadSequenceVersions#LEAN_STEP} on the send activity records it)
   */
  private LeadStatus sendStep(int stepIndex, PlannedStep next) {
    while (true) {
      if (state.stopReason != null) {
        return finishStopped();
      }
      if (state.isPaused()) {
        waits.whilePaused(stepIndex, state.pauseReason() + " before sending step " + stepIndex);
        continue;
      }
      int resumesBefore = state.resumeCount;
      int campaignResumesBefore = state.campaignResumeCount;
      SendActivities send = ui.sendStub(stepIndex);
      SendResult result;
      try {
        result =
            versions.lean()
                ? send.sendStepAndSchedule(state.lead, stepIndex, next, state.totalSteps)
                : send.sendStep(state.lead, stepIndex);
      } catch (ActivityFailure failure) {
        if (versions.sendV2() && isMailboxProblem(failure)) {
          result = SendResult.of(SendOutcome.HELD, null, reasonOf(failure));
        } else {
          return finishFailed(stepIndex, failure);
        }
      }
      state.lastOutcome = result.outcome() + " step " + stepIndex;
      switch (result.outcome()) {
        case SENT, ALREADY_SENT -> {
          state.currentStep = stepIndex;
          if (versions.sendV2()) {
            state.status = LeadStatus.ACTIVE;
          }
          if (versions.lean()) {
            afterSent(next, result);
          }
          return null;
        }
        case AMBIGUOUS -> {
          // An ambiguous step is not sent again silently (docs/architecture.md, "The guarantees and
          // how the code delivers them"); the activity
          // flagged it.
          if (!LeadSequenceVersions.ambiguousHolds()) {
            superseded.countAmbiguousAsSent(stepIndex, next);
            return null;
          }
          waits.whileAmbiguous(stepIndex, result);
        }
        case DEFERRED -> {
          // Not yet: the window is closed or the mailbox is full until the time the activity
          // computed (and wrote to the lead's record). Wait for it like for a due time.
          state.status = LeadStatus.ACTIVE;
          long earliest = Workflow.currentTimeMillis() + MIN_DEFERRAL.toMillis();
          state.nextDueAt =
              result.deferUntil() == null ? earliest : Math.max(result.deferUntil(), earliest);
          if (!waits.untilDue(stepIndex)) {
            return finishStopped();
          }
        }
        case HELD -> waits.whileHeld(stepIndex, result, resumesBefore);
        case CAMPAIGN_PAUSED -> {
          if (!versions.sendV2()) {
            superseded.waitForCampaignResume(stepIndex, resumesBefore);
          } else if (state.campaignResumeCount == campaignResumesBefore
              && state.resumeCount == resumesBefore) {
            // Held like a paused campaign's signal would hold it, unless the resume crossed this
            // send (then the next attempt goes out at once).
            state.pausedByCampaign = true;
          }
        }
        case LEAD_STOPPED -> {
          state.status = result.leadStatus() == null ? LeadStatus.STOPPED : result.leadStatus();
          state.nextDueAt = null;
          return state.status;
        }
        case CAMPAIGN_STOPPED -> {
          state.stopReason = StopReason.CAMPAIGN_STOPPED;
          return finishStopped();
        }
        default -> throw new IllegalStateException("unknown send outcome " + result.outcome());
      }
    }
  }

  private static boolean isMailboxProblem(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure app
        && FailureType.MAILBOX_MISCONFIGURED.name().equals(app.getType());
  }

  private LeadStatus finishStopped() {
    state.status = state.stopReason.status();
    state.nextDueAt = null;
    state.lastOutcome = "stopped: " + state.stopReason;
    record(state.stopReason.event(), state.currentStep, "sequence stopped: " + state.stopReason);
    ui.show();
    return state.status;
  }

  private LeadStatus finishFailed(int stepIndex, ActivityFailure failure) {
    String reason = reasonOf(failure);
    log.warn("Lead sequence {} failed at step {}: {}", state.lead.workflowId(), stepIndex, reason);
    state.status = LeadStatus.FAILED;
    state.nextDueAt = null;
    state.lastOutcome = "failed step " + stepIndex;
    record(TimelineEvent.FAILED, stepIndex, reason);
    ui.show();
    return state.status;
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

  /** Records the change in the CRM tables (one activity). */
  private void record(TimelineEvent event, int step, String detail) {
    crm.record(state.progress(event, step, detail));
  }

  @Override
  public void replied() {
    state.stop(StopReason.REPLIED);
  }

  @Override
  public void bounced() {
    state.stop(StopReason.BOUNCED);
  }

  @Override
  public void unsubscribed() {
    state.stop(StopReason.UNSUBSCRIBED);
  }

  @Override
  public void meetingBooked() {
    state.stop(StopReason.MEETING_BOOKED);
  }

  @Override
  public void campaignStopped() {
    state.stop(StopReason.CAMPAIGN_STOPPED);
  }

  @Override
  public void pause() {
    state.pause();
  }

  @Override
  public void resume() {
    state.resume();
  }

  @Override
  public void campaignPaused() {
    state.campaignPaused();
  }

  @Override
  public void campaignResumed() {
    state.campaignResumed();
  }

  @Override
  public void outOfOfficeUntil(long untilEpochMillis) {
    state.outOfOfficeUntil(untilEpochMillis);
  }

  @Override
  public void ambiguityResolved() {
    state.ambiguityResolved();
  }

  @Override
  public LeadSequenceStatus status() {
    return state.snapshot();
  }
}
