package dev.outbound.api.leads;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the lead endpoints answer. */
final class LeadViews {

  private LeadViews() {}

  /** A lead of the request that was not added, by its position in the request array. */
  record Rejected(int index, String reason) {}

  record AddLeadsResult(int accepted, List<Rejected> rejected) {}

  record LeadItem(
      long id,
      String email,
      String firstName,
      String lastName,
      String company,
      String status,
      int currentStep,
      Instant nextSendAt) {}

  record LeadPage(List<LeadItem> items, int page, int size, long total) {}

  record TimelineEntry(Instant at, String type, int step, String detail) {}

  record LeadView(
      long id,
      long campaignId,
      String email,
      String firstName,
      String lastName,
      String company,
      String timezone,
      String country,
      @Schema(description = "The mailbox its emails come from; null until its first send.")
          Long mailboxId,
      Map<String, Object> fields,
      String status,
      int currentStep,
      @Schema(
              description =
                  "When the next step is due or, when the step was deferred (send window closed,"
                      + " mailbox or domain at its limit), when it may go; the lead stays ACTIVE.")
          Instant nextSendAt,
      String lastOutcome,
      Instant createdAt,
      Instant startedAt,
      List<TimelineEntry> timeline) {}

  /** {@code 202} of a lead control or event. */
  record LeadStatusView(long id, String status) {}
}
