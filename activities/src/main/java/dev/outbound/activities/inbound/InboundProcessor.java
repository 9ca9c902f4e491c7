package dev.outbound.activities.inbound;

import dev.outbound.activities.alerts.MailboxPauseReason;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.activities.inbound.Classification.AutoReply;
import dev.outbound.activities.inbound.Classification.AutoReplyKind;
import dev.outbound.activities.inbound.Classification.Bounce;
import dev.outbound.activities.inbound.Classification.BounceType;
import dev.outbound.activities.inbound.Classification.HumanReply;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.admin.ChangeOutcome;
import dev.outbound.crm.admin.LeadChangeStore;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.InboundStore.Inbox;
import dev.outbound.crm.inbound.InboundStore.Match;
import dev.outbound.crm.inbound.InboundStore.Received;
import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.inbound.LeadSignalOutbox.Signal;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.suppression.Unsubscriptions;
import dev.outbound.vocabulary.address.SuppressionValues;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides what one received message means and commits it: one transaction per message that records
 * the message (a message recorded before is passed over), changes the lead, the suppression list
 * and the send ledger, queues the signals for the lead workflows ({@link LeadSignalOutbox}) and
 * moves the mailbox's cursor past it.
 *
 * <ul>
 *   <li>A human reply ends the lead {@code REPLIED} (also after its sequence completed: the agency
 *       wants to know); a reply that asks to be left alone unsubscribes the person instead. With
 *       the campaign's {@code stopCompanyOnReply}, the campaign's other running leads at the same
 *       company domain are stopped (never for a free-mail domain).
 *   <li>An out-of-office with a readable return date holds the lead until that day plus {@link
 *       WatchProperties#outOfOfficeGraceDays()} in the lead's zone; any other automatic answer is
 *       noted on the timeline and changes nothing.
 *   <li>A hard bounce suppresses the address for the client and ends every running enrolment of it
 *       {@code BOUNCED}; a soft bounce is noted, and the lead is {@code BOUNCED} at the {@link
 *       WatchProperties#softBounceLimit()}th. A mailbox whose hard bounces pass {@link
 *       WatchProperties#bounceRateThreshold()} of its latest sends is paused.
 *   <li>An email to a mailto unsubscribe address ({@code unsubscribe+<token>@...}) with a genuine
 *       token of the mailbox's client unsubscribes the person.
 * </ul>
 *
 * <p>Matching trusts nothing the message says beyond the mailbox's own client: Message-IDs are
 * looked up in that client's send ledger, the fallback by sender only among leads this mailbox
 * mailed.
 */
@Component
public class InboundProcessor {

  /** What one message did. */
  public record Outcome(String kind, boolean acted) {}

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

  private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);

  private final InboundClassifier classifier;
  private final InboundStore store;
  private final LeadChangeStore leads;
  private final TimelineStore timeline;
  private final SuppressionStore suppressions;
  private final Unsubscriptions unsubscriptions;
  private final UnsubscribeTokens tokens;
  private final LeadSignalOutbox outbox;
  private final MailboxPauses pauses;
  private final WatchProperties settings;
  private final TransactionTemplate transactions;

  public InboundProcessor(
      InboundClassifier classifier,
      InboundStore store,
      LeadChangeStore leads,
      TimelineStore timeline,
      SuppressionStore suppressions,
      Unsubscriptions unsubscriptions,
      UnsubscribeTokens tokens,
      LeadSignalOutbox outbox,
      MailboxPauses pauses,
      WatchProperties settings,
      TransactionTemplate transactions) {
    this.classifier = classifier;
    this.store = store;
    this.leads = leads;
    this.timeline = timeline;
    this.suppressions = suppressions;
    this.unsubscriptions = unsubscriptions;
    this.tokens = tokens;
    this.outbox = outbox;
    this.pauses = pauses;
    this.settings = settings;
    this.transactions = transactions;
  }

  /**
   * Processes one message read from {@code inbox} and moves the cursor past it, in one transaction.
   * A message seen before only moves the cursor.
   */
  public Outcome process(Inbox inbox, long uidValidity, InboxBatch.Message message) {
    MimeMessage parsed;
    Classification classification;
    InboundMatching.Keys keys;
    try {
      parsed = InboundClassifier.parse(message.raw());
      classification = classifier.classify(parsed);
      keys = InboundMatching.of(parsed, classification);
    } catch (RuntimeException e) {
      parsed = null;
      classification = new Classification.Unknown("unparseable message");
      keys = new InboundMatching.Keys(null, List.of(), null, null, null);
    }
    Decision decision = new Decision(inbox, uidValidity, message, parsed, classification, keys);
    Outcome outcome = transactions.execute(status -> decision.commit());
    if (decision.pauseForBounces) {
      // After the commit: the alert must not go out for a decision that was rolled back.
      pauses.pause(inbox.clientId(), inbox.mailboxId(), MailboxPauseReason.BOUNCES);
    }
    return outcome;
  }

  /** One message's decision; {@link #commit} runs inside the transaction. */
  private final class Decision {

    private final Inbox inbox;
    private final long uidValidity;
    private final InboxBatch.Message message;
    private final MimeMessage parsed;
    private final Classification classification;
    private final InboundMatching.Keys keys;
    private boolean pauseForBounces;

    Decision(
        Inbox inbox,
        long uidValidity,
        InboxBatch.Message message,
        MimeMessage parsed,
        Classification classification,
        InboundMatching.Keys keys) {
      this.inbox = inbox;
      this.uidValidity = uidValidity;
      this.message = message;
      this.parsed = parsed;
      this.classification = classification;
      this.keys = keys;
    }

    Outcome commit() {
      long client = inbox.clientId();
      if (store.seen(inbox.mailboxId(), uidValidity, message.uid(), keys.messageId())) {
        advanceCursor();
        return new Outcome("SEEN", false);
      }
      Optional<UnsubscribeTokens.Subject> mailto = mailtoUnsubscribe();
      if (mailto.isPresent()) {
        return unsubscribeByMail(mailto.get().enrolmentId());
      }
      Outcome outcome;
      if (classification instanceof HumanReply reply) {
        outcome = reply(reply);
      } else if (classification instanceof AutoReply auto) {
        outcome = autoReply(auto);
      } else if (classification instanceof Bounce bounce) {
        outcome = bounce(bounce);
      } else {
        String reason = ((Classification.Unknown) classification).reason();
        record("UNKNOWN", null, null, "nothing done: " + reason);
        outcome = new Outcome("UNKNOWN", false);
      }
      advanceCursor();
      log.debug("Mailbox {} of client {}: {}", inbox.mailboxId(), client, outcome);
      return outcome;
    }

    private Outcome reply(HumanReply reply) {
      Optional<MatchedBy> match = matchReply();
      if (match.isEmpty()) {
        record("REPLY", null, null, "no lead of this mailbox matched");
        return new Outcome("REPLY", false);
      }
      Match lead = match.get().match();
      long client = inbox.clientId();
      String received = describeReceived();
      if (reply.asksToUnsubscribe()) {
        record("REPLY", lead, match.get().by(), "reply asking to unsubscribe: unsubscribed");
        timeline.append(
            client, lead.enrolmentId(), TimelineEvent.REPLY_RECEIVED, lead.step(), received);
        unsubscribe(lead.enrolmentId(), "reply asking to be left alone, step " + lead.step());
        return new Outcome("REPLY", true);
      }
      var result =
          leads.markTerminal(
              client,
              lead.enrolmentId(),
              "REPLIED",
              "reply to step " + lead.step() + " read from mailbox " + inbox.mailboxId(),
              "REPLIED (inbox)");
      boolean changed = result.outcome() == ChangeOutcome.CHANGED;
      record(
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
        stopColleagues(lead);
      }
      return new Outcome("REPLY", changed);
    }

    private void stopColleagues(Match lead) {
      long client = inbox.clientId();
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
              client,
              colleague.campaignId(),
              colleague.enrolmentId(),
              Signal.CAMPAIGN_STOPPED,
              null);
        }
      }
    }

    private Outcome autoReply(AutoReply auto) {
      Optional<MatchedBy> match = matchReply();
      Match lead = match.map(MatchedBy::match).orElse(null);
      String by = match.map(MatchedBy::by).orElse(null);
      if (auto.kind() != AutoReplyKind.OUT_OF_OFFICE) {
        record("AUTO_REPLY", lead, by, "automatic answer (" + auto.kind() + "): nothing done");
        if (lead != null) {
          timeline.append(
              inbox.clientId(),
              lead.enrolmentId(),
              TimelineEvent.AUTO_REPLY,
              lead.step(),
              "automatic answer (" + auto.kind().name().toLowerCase(Locale.ROOT) + ")");
        }
        return new Outcome("AUTO_REPLY", false);
      }
      if (lead == null) {
        record("OUT_OF_OFFICE", null, null, "no lead of this mailbox matched");
        return new Outcome("OUT_OF_OFFICE", false);
      }
      if (auto.returnDate() == null || lead.ended()) {
        String why = lead.ended() ? "lead already " + lead.status() : "no return date found";
        record("OUT_OF_OFFICE", lead, by, "out of office, " + why + ": nothing done");
        timeline.append(
            inbox.clientId(),
            lead.enrolmentId(),
            TimelineEvent.OUT_OF_OFFICE,
            lead.step(),
            "out of office");
        return new Outcome("OUT_OF_OFFICE", false);
      }
      LocalDate resumeOn = auto.returnDate().plusDays(settings.outOfOfficeGraceDays());
      Instant until = resumeOn.atStartOfDay(zone(lead.zone())).toInstant();
      record("OUT_OF_OFFICE", lead, by, "out of office: held until " + resumeOn);
      timeline.append(
          inbox.clientId(),
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
          inbox.clientId(),
          lead.campaignId(),
          lead.enrolmentId(),
          Signal.OUT_OF_OFFICE_UNTIL,
          until.toEpochMilli());
      return new Outcome("OUT_OF_OFFICE", true);
    }

    private Outcome bounce(Bounce bounce) {
      long client = inbox.clientId();
      Optional<MatchedBy> match =
          store
              .byMessageId(client, keys.candidates())
              .map(m -> new MatchedBy(m, "MESSAGE_ID"))
              .or(
                  () ->
                      Optional.ofNullable(bounce.failedRecipient())
                          .flatMap(r -> store.bySender(client, inbox.mailboxId(), r))
                          .map(m -> new MatchedBy(m, "SENDER")));
      boolean hard = bounce.type() == BounceType.HARD;
      String kind = hard ? "HARD_BOUNCE" : "SOFT_BOUNCE";
      String code = bounce.status() == null ? "" : " " + bounce.status();
      if (match.isEmpty()) {
        record(kind, null, null, "bounce" + code + ": no send of this client matched");
        return new Outcome(kind, false);
      }
      Match lead = match.get().match();
      store.markBounced(client, lead.enrolmentId(), lead.step(), hard ? "HARD" : "SOFT");
      if (hard) {
        record(kind, lead, match.get().by(), "hard bounce" + code + ": address suppressed");
        timeline.append(
            client,
            lead.enrolmentId(),
            TimelineEvent.BOUNCE_RECEIVED,
            lead.step(),
            "hard bounce" + code);
        String address = bounce.failedRecipient() != null ? bounce.failedRecipient() : lead.email();
        if (SuppressionValues.parseAddress(address).isPresent()) {
          suppressions.add(
              client,
              SuppressionStore.Kind.ADDRESS,
              address,
              SuppressionStore.Reason.HARD_BOUNCE,
              "bounce" + code + ", lead " + lead.enrolmentId());
        }
        endBounced(lead, "hard bounce" + code);
        for (Match other : store.runningEnrolmentsOf(client, lead.email())) {
          endBounced(other, "hard bounce" + code + " in campaign " + lead.campaignId());
        }
        InboundStore.BounceRate rate = store.bounceRate(client, inbox.mailboxId());
        pauseForBounces =
            rate.sends() >= settings.bounceRateMinimumSends()
                && rate.rate() > settings.bounceRateThreshold();
        return new Outcome(kind, true);
      }
      record(kind, lead, match.get().by(), "soft bounce" + code);
      int soft = store.softBounces(client, lead.enrolmentId());
      timeline.append(
          client,
          lead.enrolmentId(),
          TimelineEvent.BOUNCE_RECEIVED,
          lead.step(),
          "soft bounce" + code + " (" + soft + " of " + settings.softBounceLimit() + ")");
      if (soft >= settings.softBounceLimit()) {
        endBounced(lead, soft + " soft bounces");
        return new Outcome(kind, true);
      }
      return new Outcome(kind, false);
    }

    private void endBounced(Match lead, String why) {
      var result =
          leads.markTerminal(
              inbox.clientId(), lead.enrolmentId(), "BOUNCED", why, "BOUNCED (inbox)");
      if (result.outcome() == ChangeOutcome.CHANGED) {
        outbox.enqueue(
            inbox.clientId(), lead.campaignId(), lead.enrolmentId(), Signal.BOUNCED, null);
      }
    }

    private Outcome unsubscribeByMail(long enrolmentId) {
      Optional<Match> lead = store.enrolment(inbox.clientId(), enrolmentId);
      record(
          "UNSUBSCRIBE",
          lead.orElse(null),
          lead.isPresent() ? "TOKEN" : null,
          lead.isPresent() ? "mailto unsubscribe" : "mailto unsubscribe: lead gone");
      lead.ifPresent(l -> unsubscribe(l.enrolmentId(), "unsubscribe email"));
      advanceCursor();
      return new Outcome("UNSUBSCRIBE", lead.isPresent());
    }

    private void unsubscribe(long enrolmentId, String source) {
      unsubscriptions
          .unsubscribe(inbox.clientId(), enrolmentId, source)
          .ifPresent(
              changed ->
                  changed.stream()
                      .filter(Unsubscriptions.Changed::mayStillRun)
                      .forEach(
                          c ->
                              outbox.enqueue(
                                  inbox.clientId(),
                                  c.campaignId(),
                                  c.enrolmentId(),
                                  Signal.UNSUBSCRIBED,
                                  null)));
    }

    /**
     * A reply's match: by the Message-IDs it refers to, else by its sender among this mailbox's.
     */
    private Optional<MatchedBy> matchReply() {
      long client = inbox.clientId();
      return store
          .byMessageId(client, keys.candidates())
          .map(m -> new MatchedBy(m, "MESSAGE_ID"))
          .or(
              () ->
                  store
                      .bySender(client, inbox.mailboxId(), keys.sender())
                      .map(m -> new MatchedBy(m, "SENDER")));
    }

    /** A recipient of the form {@code unsubscribe+<token>@...} with a token of this client. */
    private Optional<UnsubscribeTokens.Subject> mailtoUnsubscribe() {
      if (parsed == null) {
        return Optional.empty();
      }
      for (String address : recipients()) {
        Optional<UnsubscribeTokens.Subject> subject = tokens.verifyMailtoAddress(address);
        if (subject.isPresent() && subject.get().clientId() == inbox.clientId()) {
          return subject;
        }
      }
      return Optional.empty();
    }

    private List<String> recipients() {
      List<String> found = new ArrayList<>();
      try {
        Address[] to = parsed.getRecipients(RecipientType.TO);
        Address[] cc = parsed.getRecipients(RecipientType.CC);
        for (Address[] list : new Address[][] {to, cc}) {
          if (list != null) {
            for (Address a : list) {
              if (a instanceof InternetAddress internet && internet.getAddress() != null) {
                found.add(internet.getAddress());
              }
            }
          }
        }
        // Where the server says it delivered the message (plus-addressing keeps the token here
        // even when the client wrote the address elsewhere).
        for (String header : List.of("Delivered-To", "X-Original-To", "Envelope-To")) {
          String[] values = parsed.getHeader(header);
          if (values != null) {
            for (String v : values) {
              found.add(v.strip().replaceAll("^<|>$", ""));
            }
          }
        }
      } catch (MessagingException e) {
        // Unreadable recipients: not an unsubscribe email.
      }
      return found;
    }

    private String describeReceived() {
      Instant at = message.receivedAt() != null ? message.receivedAt() : keys.sentAt();
      String subject = keys.subject() == null ? "(no subject)" : keys.subject();
      if (subject.length() > 200) {
        subject = subject.substring(0, 200) + "…";
      }
      return "reply received "
          + (at == null ? "(time unknown)" : at)
          + ", subject \""
          + subject
          + "\"";
    }

    private void record(String kind, Match lead, String matchedBy, String action) {
      store.record(
          new Received(
              inbox.clientId(),
              inbox.mailboxId(),
              uidValidity,
              message.uid(),
              keys.messageId(),
              message.receivedAt(),
              kind,
              lead == null ? null : lead.enrolmentId(),
              lead == null ? null : lead.step(),
              lead == null ? null : matchedBy,
              action));
    }

    private void advanceCursor() {
      store.saveCursor(
          inbox.clientId(), inbox.mailboxId(), new InboundStore.Cursor(uidValidity, message.uid()));
    }
  }

  private record MatchedBy(Match match, String by) {}

  private static Optional<String> domainOf(String email) {
    int at = email == null ? -1 : email.lastIndexOf('@');
    if (at < 0 || at == email.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(email.substring(at + 1).toLowerCase(Locale.ROOT));
  }

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
