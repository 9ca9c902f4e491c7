package dev.outbound.activities.inbound;

import dev.outbound.activities.inbound.Classification.AutoReply;
import dev.outbound.activities.inbound.Classification.AutoReplyKind;
import dev.outbound.activities.inbound.InboundDecision.MatchedBy;
import dev.outbound.activities.inbound.InboundProcessor.Outcome;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.inbound.InboundStore.Match;
import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.inbound.LeadSignalOutbox.Signal;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * What an automatic answer does: an out-of-office with a readable return date holds the lead until
 * that day plus {@link WatchProperties#outOfOfficeGraceDays()} in the lead's zone; any other
 * automatic answer is noted on the timeline and changes nothing.
 */
final class AutoReplyDecisions {

  private final TimelineStore timeline;
  private final LeadSignalOutbox outbox;
  private final WatchProperties settings;

  AutoReplyDecisions(TimelineStore timeline, LeadSignalOutbox outbox, WatchProperties settings) {
    this.timeline = timeline;
    this.outbox = outbox;
    this.settings = settings;
  }

  Outcome autoReply(InboundDecision d, AutoReply auto) {
    Optional<MatchedBy> match = d.matchReply();
    Match lead = match.map(MatchedBy::match).orElse(null);
    String by = match.map(MatchedBy::by).orElse(null);
    if (auto.kind() != AutoReplyKind.OUT_OF_OFFICE) {
      d.record("AUTO_REPLY", lead, by, "automatic answer (" + auto.kind() + "): nothing done");
      if (lead != null) {
        timeline.append(
            d.clientId(),
            lead.enrolmentId(),
            TimelineEvent.AUTO_REPLY,
            lead.step(),
            "automatic answer (" + auto.kind().name().toLowerCase(Locale.ROOT) + ")");
      }
      return new Outcome("AUTO_REPLY", false);
    }
    if (lead == null) {
      d.record("OUT_OF_OFFICE", null, null, "no lead of this mailbox matched");
      return new Outcome("OUT_OF_OFFICE", false);
    }
    if (auto.returnDate() == null || lead.ended()) {
      String why = lead.ended() ? "lead already " + lead.status() : "no return date found";
      d.record("OUT_OF_OFFICE", lead, by, "out of office, " + why + ": nothing done");
      timeline.append(
          d.clientId(),
          lead.enrolmentId(),
          TimelineEvent.OUT_OF_OFFICE,
          lead.step(),
          "out of office");
      return new Outcome("OUT_OF_OFFICE", false);
    }
    LocalDate resumeOn = auto.returnDate().plusDays(settings.outOfOfficeGraceDays());
    Instant until = resumeOn.atStartOfDay(zone(lead.zone())).toInstant();
    d.record("OUT_OF_OFFICE", lead, by, "out of office: held until " + resumeOn);
    timeline.append(
        d.clientId(),
        lead.enrolmentId(),
        TimelineEvent.OUT_OF_OFFICE,
        lead.step(),
        "out of office until "
            + auto.returnDate()
            + "; no step before "
            + resumeOn
            + " ("
            + zone(lead.zone())
            + ")");
    outbox.enqueue(
        d.clientId(),
        lead.campaignId(),
        lead.enrolmentId(),
        Signal.OUT_OF_OFFICE_UNTIL,
        until.toEpochMilli());
    return new Outcome("OUT_OF_OFFICE", true);
  }

  /** The lead's zone; UTC when it has none or an unknown one. */
  private static ZoneId zone(String zone) {
    if (zone == null) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
