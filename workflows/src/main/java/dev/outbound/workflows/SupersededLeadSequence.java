package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Paths of {@link LeadSequenceWorkflowImpl} that only sequences from before one of its {@link
 * LeadSequenceVersions version gates} take. A sequence started today never runs them; a replay of
 * an older one must issue the commands it issued then, so they stay until no running sequence and
 * no committed history under {@code src/test/resources/histories} is that old. Workflow code only.
 */
final class SupersededLeadSequence {

  /**
   * Before {@link LeadSequenceVersions#SEND_V2}, a lead held because its campaign is paused
   * re-checks the campaign this often, in case the resume signal crossed the send that found the
   * campaign paused.
   */
  static final Duration CAMPAIGN_PAUSE_RECHECK = Duration.ofMinutes(30);

  private final LeadSequenceState state;
  private final LeadSequenceVersions versions;
  private final LeadActivities crm;

  SupersededLeadSequence(
      LeadSequenceState state, LeadSequenceVersions versions, LeadActivities crm) {
    this.state = state;
    this.versions = versions;
    this.crm = crm;
  }

  /**
   * Before {@link LeadSequenceVersions#AMBIGUOUS_HOLD}: an ambiguous step counts as handled and the
   * sequence goes on to the next step.
   */
  void countAmbiguousAsSent(int stepIndex, PlannedStep next) {
    state.currentStep = stepIndex;
    if (versions.sendV2()) {
      state.status = LeadStatus.ACTIVE;
    }
    if (versions.lean() && next != null) {
      // Not reached by a workflow this new (its ambiguous steps hold), but if it were: the
      // activity recorded nothing for an ambiguous step.
      crm.record(state.schedule(next));
    }
  }

  /**
   * Before {@link LeadSequenceVersions#SEND_V2}: a send that found the campaign paused marks the
   * lead {@code PAUSED} (once), then the send (which re-checks the campaign) is retried on resume,
   * or after {@link #CAMPAIGN_PAUSE_RECHECK} in case the resume signal crossed the send that found
   * the campaign paused.
   */
  void waitForCampaignResume(int stepIndex, int resumesBefore) {
    if (state.status != LeadStatus.PAUSED) {
      state.status = LeadStatus.PAUSED;
      crm.record(state.progress(TimelineEvent.PAUSED, stepIndex, "campaign paused"));
    }
    Workflow.await(
        CAMPAIGN_PAUSE_RECHECK,
        () -> state.resumeCount != resumesBefore || state.stopReason != null);
  }
}
