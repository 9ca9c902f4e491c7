package dev.outbound.api.campaigns;

import dev.outbound.crm.admin.CampaignCounts;
import java.time.Instant;
import java.util.List;

/** What the campaign endpoints answer. */
final class CampaignViews {

  private CampaignViews() {}

  /** {@code 201} of a create and {@code 202} of a control call. */
  record CampaignStatusView(long id, String status) {}

  record CampaignView(
      long id,
      String name,
      String timezone,
      String status,
      Instant createdAt,
      Instant startedAt,
      List<Long> mailboxIds,
      Counts counts,
      List<StepView> steps) {}

  /**
   * Leads by status. {@code active} counts PENDING, ACTIVE and PAUSED (still to finish); every lead
   * is in exactly one of active, held, completed, replied, meetingBooked, bounced, unsubscribed,
   * stopped and failed.
   */
  record Counts(
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
      long failed) {

    static Counts of(CampaignCounts c) {
      return new Counts(
          c.leads(),
          c.active(),
          c.pending(),
          c.paused(),
          c.held(),
          c.completed(),
          c.replied(),
          c.meetingBooked(),
          c.bounced(),
          c.unsubscribed(),
          c.stopped(),
          c.failed());
    }
  }

  /** One step; {@code sent} counts emails of this step that SMTP accepted. */
  record StepView(int index, String delay, String subject, String body, long sent) {}

  record CampaignItem(long id, String name, String timezone, String status, Instant createdAt) {}

  record CampaignPage(List<CampaignItem> items, int page, int size, long total) {}
}
