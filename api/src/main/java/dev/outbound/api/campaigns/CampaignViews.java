package dev.outbound.api.campaigns;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.outbound.crm.admin.CampaignCounts;
import dev.outbound.vocabulary.schedule.SendWindow;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.DayOfWeek;
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
      @Schema(description = "Null when the campaign may send at any time.")
          SendWindowView sendWindow,
      @Schema(description = "Emails per recipient domain and rolling hour; null for no limit.")
          Integer domainHourlyLimit,
      @Schema(description = "A reply stops the campaign's other leads at the same company.")
          boolean stopCompanyOnReply,
      CampaignCounts counts,
      List<StepView> steps) {}

  /** The send window as the request gave it, days Monday first. */
  record SendWindowView(List<String> days, String start, String end, boolean skipHolidays) {

    static SendWindowView of(SendWindow window) {
      if (window == null) {
        return null;
      }
      return new SendWindowView(
          window.days().stream().map(SendWindowView::dayName).toList(),
          window.start().toString(),
          window.end().toString(),
          window.skipHolidays());
    }

    private static String dayName(DayOfWeek day) {
      return day.name().substring(0, 3);
    }
  }

  /**
   * One step; {@code sent} counts emails of this step that SMTP accepted, {@code variantStats}
   * splits them by variant (only for a step with variants).
   */
  record StepView(
      int index,
      String delay,
      String subject,
      String body,
      long sent,
      @Schema(description = "The step's A/B variants B, C, ...; its own subject and body are A.")
          List<VariantView> variants,
      @Schema(
              description =
                  "Sent emails per variant, A first; present only when the step has variants.")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          List<VariantStat> variantStats) {}

  record VariantView(String variant, String subject, String body) {}

  /** Emails of one variant that SMTP accepted. */
  record VariantStat(String variant, long sent) {}

  record CampaignItem(long id, String name, String timezone, String status, Instant createdAt) {}

  record CampaignPage(List<CampaignItem> items, int page, int size, long total) {}
}
