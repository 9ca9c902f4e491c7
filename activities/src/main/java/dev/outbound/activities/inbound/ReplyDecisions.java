package dev.outbound.activities.inbound;

import dev.outbound.activities.inbound.Classification.HumanReply;
import dev.outbound.activities.inbound.InboundDecision.MatchedBy;
import dev.outbound.activities.inbound.InboundProcessor.Outcome;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.admin.ChangeOutcome;
import dev.outbound.crm.admin.LeadChangeStore;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.InboundStore.Match;
import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.inbound.LeadSignalOutbox.Signal;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a human reply does: it ends the lead {@code REPLIED} (also after its sequence completed: the
 * agency wants to know); a reply that asks to be left alone unsubscribes the person instead. With
 * the campaign's {@code stopCompanyOnReply}, the campaign's other running leads at the same company
 * domain are stopped (never for a free-mail domain).
 */
final class ReplyDecisions {

  /** Consumer mail domains: a colleague rule by domain would stop strangers. */
  static final Set<String> FREE_MAIL =
      Set.of(
          "gmail.com",
          "googlemail.com",
          "outlook.com",
          "hotmail.com",
          "live.com",
          "msn.com",
          "yahoo.com",
          "yahoo.co.uk",
          "yahoo.fr",
          "icloud.com",
          "me.com",
          "mac.com",
          "aol.com",
          "gmx.de",
          "gmx.net",
          "gmx.at",
          "gmx.ch",
          "web.de",
          "t-online.de",
          "freenet.de",
          "proton.me",
          "protonmail.com",
          "pm.me",
          "yandex.ru",
          "mail.ru",
          "orange.fr",
          "free.fr",
          "laposte.net",
          "libero.it",
          "qq.com",
          "163.com",
          "126.com",
          "zoho.com",
          "fastmail.com");

  private final InboundStore store;
  private final LeadChangeStore leads;
  private final TimelineStore timeline;
  private final LeadSignalOutbox outbox;
  private final UnsubscribeDecisions unsubscribes;

  ReplyDecisions(
      InboundStore store,
      LeadChangeStore leads,
      TimelineStore timeline,
      LeadSignalOutbox outbox,
      UnsubscribeDecisions unsubscribes) {
    this.store = store;
    this.leads = leads;
    this.timeline = timeline;
    this.outbox = outbox;
    this.unsubscribes = unsubscribes;
  }

  Outcome reply(InboundDecision d, HumanReply reply) {
    Optional<MatchedBy> match = d.matchReply();
    if (match.isEmpty()) {
      d.record("REPLY", null, null, "no lead of this mailbox matched");
      return new Outcome("REPLY", false);
    }
    Match lead = match.get().match();
    long client = d.clientId();
    String received = d.describeReceived();
    if (reply.asksToUnsubscribe()) {
      d.record("REPLY", lead, match.get().by(), "reply asking to unsubscribe: unsubscribed");
      timeline.append(
          client, lead.enrolmentId(), TimelineEvent.REPLY_RECEIVED, lead.step(), received);
      unsubscribes.unsubscribe(
          d, lead.enrolmentId(), "reply asking to be left alone, step " + lead.step());
      return new Outcome("REPLY", true);
    }
    var result =
        leads.markTerminal(
            client,
            lead.enrolmentId(),
            "REPLIED",
            "reply to step " + lead.step() + " read from mailbox " + d.inbox().mailboxId(),
            "REPLIED (inbox)");
    boolean changed = result.outcome() == ChangeOutcome.CHANGED;
    d.record(
        "REPLY",
        lead,
        match.get().by(),
        changed ? "lead REPLIED" : "lead already " + lead.status() + ": noted");
    timeline.append(
        client, lead.enrolmentId(), TimelineEvent.REPLY_RECEIVED, lead.step(), received);
    if (changed) {
      if (!lead.ended()) {
        outbox.enqueue(client, lead.campaignId(), lead.enrolmentId(), Signal.REPLIED, null);
      }
      stopColleagues(d, lead);
    }
    return new Outcome("REPLY", changed);
  }

  private void stopColleagues(InboundDecision d, Match lead) {
    long client = d.clientId();
    if (!store.stopsCompanyOnReply(client, lead.campaignId())) {
      return;
    }
    Optional<String> domain = domainOf(lead.email());
    if (domain.isEmpty() || FREE_MAIL.contains(domain.get())) {
      return;
    }
    for (Match colleague :
        store.colleagues(client, lead.campaignId(), lead.enrolmentId(), domain.get())) {
      var result =
          leads.markTerminal(
              client,
              colleague.enrolmentId(),
              "STOPPED",
              "a colleague at the same company replied (lead " + lead.enrolmentId() + ")",
              "STOPPED (colleague replied)");
      if (result.outcome() == ChangeOutcome.CHANGED) {
        outbox.enqueue(
            client, colleague.campaignId(), colleague.enrolmentId(), Signal.CAMPAIGN_STOPPED, null);
      }
    }
  }

  private static Optional<String> domainOf(String email) {
    int at = email == null ? -1 : email.lastIndexOf('@');
    if (at < 0 || at == email.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(email.substring(at + 1).toLowerCase(Locale.ROOT));
  }
}
