package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Where one lead's sequence stands and what its signals said: the state {@link
 * LeadSequenceWorkflowImpl} decides on between commands. The signal handlers only change fields
 * here (a second pause, resume or stop changes nothing), and the workflow method reads them when it
 * next wakes. Nothing here issues a command; {@link #progress} and {@link #schedule} build what the
 * workflow then records.
 */
final class LeadSequenceState {

  LeadRef lead;
  LeadStatus status = LeadStatus.PENDING;

  /** The first stop that arrived, or null; a stop after the lead's end changes nothing. */
  StopReason stopReason;

  /** Held by an operator: only {@link #resume} releases it. */
  boolean paused;

  /** Held by the campaign's pause: {@link #campaignResumed} releases it. */
  boolean pausedByCampaign;

  /** Releases seen so far, so a wait can tell that one arrived while it waited. */
  int resumeCount;

  int campaignResumeCount;
  int currentStep;
  int totalSteps;
  Long nextDueAt;
  String lastOutcome = "enrolled";

  /** When the lead is back according to its out-of-office reply, or null. */
  Long awayUntil;

  int ambiguityResolutions;

  boolean isPaused() {
    return paused || pausedByCampaign;
  }

  String pauseReason() {
    return paused ? "paused" : "campaign paused";
  }

  void stop(StopReason reason) {
    if (stopReason == null && (status == null || !status.isTerminal())) {
      stopReason = reason;
    }
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
    resumeCount++;
  }

  void campaignPaused() {
    pausedByCampaign = true;
  }

  void campaignResumed() {
    pausedByCampaign = false;
    campaignResumeCount++;
    // A campaign-wide release also frees leads held for a reason fixed campaign-wide (a mailbox).
    resumeCount++;
  }

  void outOfOfficeUntil(long untilEpochMillis) {
    awayUntil = untilEpochMillis;
  }

  void ambiguityResolved() {
    ambiguityResolutions++;
  }

  /** The change to record: the state as it is now, with a timeline event about {@code step}. */
  LeadProgress progress(TimelineEvent event, int step, String detail) {
    return new LeadProgress(lead, status, currentStep, nextDueAt, event, step, detail);
  }

  /** Sets the step's due time from workflow time; returns its {@code SCHEDULED} to record. */
  LeadProgress schedule(PlannedStep step) {
    nextDueAt = Workflow.currentTimeMillis() + Duration.ofSeconds(step.delaySeconds()).toMillis();
    return progress(
        TimelineEvent.SCHEDULED,
        step.index(),
        "step " + step.index() + " due in " + step.delaySeconds() + "s");
  }

  /** What the {@code status} query answers. */
  LeadSequenceStatus snapshot() {
    return new LeadSequenceStatus(status, currentStep, totalSteps, nextDueAt, lastOutcome);
  }
}
