package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;

/** Why a lead's sequence stops before its last step; each maps to the lead's final status. */
public enum StopReason {
  REPLIED(LeadStatus.REPLIED),
  BOUNCED(LeadStatus.BOUNCED),
  UNSUBSCRIBED(LeadStatus.UNSUBSCRIBED),
  MEETING_BOOKED(LeadStatus.MEETING_BOOKED),
  CAMPAIGN_STOPPED(LeadStatus.STOPPED);

  private final LeadStatus status;

  StopReason(LeadStatus status) {
    this.status = status;
  }

  public LeadStatus status() {
    return status;
  }

  /** The timeline event the sequence records when it stops for this reason (the same name). */
  public TimelineEvent event() {
    return TimelineEvent.valueOf(name());
  }
}
