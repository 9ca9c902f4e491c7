package dev.outbound.crm.admin;

import dev.outbound.vocabulary.status.LeadStatus;
import java.util.Map;

/**
 * A campaign's leads (enrolments) counted by status. Every lead is in exactly one of {@code
 * active}, {@code held}, {@code completed}, {@code replied}, {@code meetingBooked}, {@code
 * bounced}, {@code unsubscribed}, {@code stopped} and {@code failed}, so these add up to {@code
 * leads}.
 *
 * @param leads all leads of the campaign
 * @param active leads whose sequence is still to run or running: PENDING, ACTIVE and PAUSED
 * @param pending the part of {@code active} not started yet (PENDING)
 * @param paused the part of {@code active} on hold (PAUSED)
 * @param held leads that need an operator (HELD), e.g. a template variable without a value
 * @param completed leads that got every step (COMPLETED)
 * @param replied leads that replied (REPLIED); a booked meeting is counted in {@code meetingBooked}
 * @param meetingBooked leads that booked a meeting (MEETING_BOOKED)
 * @param bounced leads whose address bounced (BOUNCED)
 * @param unsubscribed leads that unsubscribed (UNSUBSCRIBED)
 * @param stopped leads stopped with their campaign or by an operator (STOPPED)
 * @param failed leads ended by a permanent failure (FAILED)
 * @param ambiguous sends flagged AMBIGUOUS in the send ledger (a crash between handing the mail to
 *     SMTP and recording it): not re-sent by policy, each waits for an operator; not a lead status,
 *     so not part of the sum above
 */
public record CampaignCounts(
    long leads,
    long active,
    long pending,
    long paused,
    long held,
    long completed,
    long replied,
    long meetingBooked,
    long bounced,
    long unsubscribed,
    long stopped,
    long failed,
    long ambiguous) {

  /**
   * Builds the counts from enrolment counts keyed by status name (missing statuses count 0) and the
   * number of ambiguous sends.
   */
  public static CampaignCounts of(Map<String, Long> byStatus, long ambiguous) {
    long pending = count(byStatus, LeadStatus.PENDING);
    long paused = count(byStatus, LeadStatus.PAUSED);
    long running = count(byStatus, LeadStatus.ACTIVE);
    return new CampaignCounts(
        byStatus.values().stream().mapToLong(Long::longValue).sum(),
        pending + running + paused,
        pending,
        paused,
        count(byStatus, LeadStatus.HELD),
        count(byStatus, LeadStatus.COMPLETED),
        count(byStatus, LeadStatus.REPLIED),
        count(byStatus, LeadStatus.MEETING_BOOKED),
        count(byStatus, LeadStatus.BOUNCED),
        count(byStatus, LeadStatus.UNSUBSCRIBED),
        count(byStatus, LeadStatus.STOPPED),
        count(byStatus, LeadStatus.FAILED),
        ambiguous);
  }

  private static long count(Map<String, Long> byStatus, LeadStatus status) {
    return byStatus.getOrDefault(status.name(), 0L);
  }
}
