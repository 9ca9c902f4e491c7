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
      CampaignCounts counts,
      List<StepView> steps) {}

  /** One step; {@code sent} counts emails of this step that SMTP accepted. */
  record StepView(int index, String delay, String subject, String body, long sent) {}

  record CampaignItem(long id, String name, String timezone, String status, Instant createdAt) {}

  record CampaignPage(List<CampaignItem> items, int page, int size, long total) {}
}
