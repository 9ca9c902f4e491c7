package dev.outbound.crm.admin;

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
    long pending = byStatus.getOrDefault("PENDING", 0L);
    long paused = byStatus.getOrDefault("PAUSED", 0L);
    long running = byStatus.getOrDefault("ACTIVE", 0L);
    return new CampaignCounts(
        byStatus.values().stream().mapToLong(Long::longValue).sum(),
        pending + running + paused,
        pending,
        paused,
        byStatus.getOrDefault("HELD", 0L),
        byStatus.getOrDefault("COMPLETED", 0L),
        byStatus.getOrDefault("REPLIED", 0L),
        byStatus.getOrDefault("MEETING_BOOKED", 0L),
        byStatus.getOrDefault("BOUNCED", 0L),
        byStatus.getOrDefault("UNSUBSCRIBED", 0L),
        byStatus.getOrDefault("STOPPED", 0L),
        byStatus.getOrDefault("FAILED", 0L),
        ambiguous);
  }
}
