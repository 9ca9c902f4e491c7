package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The waits of a lead's sequence: for a step's due time, through a pause, and on an ambiguous step.
 * Each is a timer raced against the signals (or a bare condition where nothing is due), so a stop,
 * a pause or an out-of-office reply acts at once rather than when the timer fires; each records the
 * lead's changes it makes. Workflow code only, for {@link LeadSequenceWorkflowImpl}.
 */
final class LeadSequenceWaits {

  private final LeadSequenceState state;
  private final LeadSequenceVersions versions;
  private final LeadSequenceLegibility ui;
  private final LeadActivities crm;

  LeadSequenceWaits(
      LeadSequenceState state,
      LeadSequenceVersions versions,
      LeadSequenceLegibility ui,
      LeadActivities crm) {
    this.state = state;
    this.versions = versions;
    this.ui = ui;
    this.crm = crm;
  }

  /**
   * Waits until the next due time, holding while paused. Returns false when a stop arrived. A step
   * that fell due while the lead was paused is sent as soon as it is resumed.
   */
  boolean untilDue(int stepIndex) {
    while (true) {
      if (state.stopReason != null) {
        return false;
      }
      if (state.isPaused()) {
        whilePaused(stepIndex, state.pauseReason());
        continue;
      }
      if (state.awayUntil != null && state.awayUntil > state.nextDueAt) {
        // An out-of-office reply moves the step to the lead's return; the sequence goes on from
        // there.
        state.nextDueAt = state.awayUntil;
        state.lastOutcome = "out of office until " + Instant.ofEpochMilli(state.awayUntil);
        record(
            TimelineEvent.OUT_OF_OFFICE,
            stepIndex,
            "step " + stepIndex + " waits until the lead is back: " + state.lastOutcome);
      }
      long remaining = state.nextDueAt - Workflow.currentTimeMillis();
      if (remaining <= 0) {
        return true;
      }
      Long awayBefore = state.awayUntil;
      ui.show();
      // A timer raced against the signals: a stop, a pause or an out-of-office reply acts at once,
      // not when the timer fires.
      ui.awaitNamed(
          Duration.ofMillis(remaining),
          "wait for step "
              + stepIndex
              + " of "
              + state.totalSteps
              + " until "
              + Instant.ofEpochMilli(state.nextDueAt)
              + " (UTC)",
          () ->
              state.isPaused()
                  || state.stopReason != null
                  || !Objects.equals(state.awayUntil, awayBefore));
    }
  }

  /**
   * Holds the lead while it is paused, by an operator (until resumed) or by its campaign (until the
   * campaign resumes, or the re-check comes round and the caller tries the send, which reads the
   * campaign again). Returns early on a stop.
   */
  void whilePaused(int stepIndex, String why) {
    if (!versions.sendV2() || state.status != LeadStatus.PAUSED) {
      state.status = LeadStatus.PAUSED;
      record(TimelineEvent.PAUSED, stepIndex, why);
      ui.show();
    }
    while (state.isPaused() && state.stopReason == null) {
      if (state.paused) {
        Workflow.await(() -> !state.isPaused() || state.stopReason != null);
      } else {
        // Only the campaign holds the lead: its resume signal releases it; the database is checked
        // again now and then in case that signal crossed the send that found the campaign paused.
        boolean released =
            ui.awaitNamed(
                LeadSequenceWorkflowImpl.CAMPAIGN_PAUSE_SAFETY_RECHECK,
                "campaign paused: re-check the campaign",
                () -> !state.isPaused() || state.stopReason != null);
        if (!released) {
          // Still PAUSED as far as anyone can tell: try the send, which reads the campaign again.
          state.pausedByCampaign = false;
          return;
        }
      }
    }
    if (state.stopReason == null) {
      state.status = LeadStatus.ACTIVE;
      record(TimelineEvent.RESUMED, stepIndex, "resumed; step " + stepIndex + " due as planned");
    }
  }

  /**
   * Holds the lead on an ambiguous step until an operator resolves it through the API ({@link
   * LeadSequenceWorkflow#ambiguityResolved}), a stop arrives, or the periodic re-check ({@link
   * LeadSequenceWorkflowImpl#AMBIGUITY_RECHECK}) comes round; the caller then asks the send
   * activity again, which answers from the ledger: already sent (marked sent), sent now (one resend
   * allowed), or still ambiguous (held again, without a second timeline entry).
   */
  void whileAmbiguous(int stepIndex, SendResult result) {
    state.nextDueAt = null;
    if (state.status != LeadStatus.HELD) {
      state.status = LeadStatus.HELD;
      record(
          TimelineEvent.HELD,
          stepIndex,
          "step "
              + stepIndex
              + " may or may not have been delivered ("
              + result.detail()
              + "); an operator marks it sent or allows one resend");
      ui.show();
    }
    int resolutionsBefore = state.ambiguityResolutions;
    ui.awaitNamed(
        LeadSequenceWorkflowImpl.AMBIGUITY_RECHECK,
        "step " + stepIndex + " ambiguous: re-check the ledger",
        () -> state.ambiguityResolutions != resolutionsBefore || state.stopReason != null);
  }

  /**
   * Holds the lead after a send the activity held (a mailbox problem) until a resume releases it
   * ({@code resumesBefore} is the count of resumes before that send), or a stop arrives; released,
   * the step is due at once.
   */
  void whileHeld(int stepIndex, SendResult result, int resumesBefore) {
    state.status = LeadStatus.HELD;
    state.nextDueAt = null;
    record(TimelineEvent.HELD, stepIndex, result.detail());
    ui.show();
    Workflow.await(() -> state.resumeCount != resumesBefore || state.stopReason != null);
    if (state.stopReason == null) {
      state.status = LeadStatus.ACTIVE;
      state.nextDueAt = Workflow.currentTimeMillis();
      record(TimelineEvent.RESUMED, stepIndex, "released from hold; retrying step " + stepIndex);
    }
  }

  private void record(TimelineEvent event, int step, String detail) {
    crm.record(state.progress(event, step, detail));
  }
}
