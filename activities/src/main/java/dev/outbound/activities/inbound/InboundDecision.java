package dev.outbound.activities.inbound;

import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.InboundStore.Inbox;
import dev.outbound.crm.inbound.InboundStore.Match;
import dev.outbound.crm.inbound.InboundStore.Received;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Optional;

/**
 * One received message while {@link InboundProcessor} decides what it means, inside the message's
 * transaction: what was read from it, and the writes that every kind of message shares (its row in
 * the inbound log, the mailbox's cursor) and the match of a reply to a lead.
 */
final class InboundDecision {

  /** A lead a message was matched to, and how ({@code MESSAGE_ID}, {@code SENDER}). */
  record MatchedBy(Match match, String by) {}

  private final InboundStore store;
  private final Inbox inbox;
  private final long uidValidity;
  private final InboxBatch.Message message;
  private final MimeMessage parsed;
  private final Classification classification;
  private final InboundMatching.Keys keys;
  private boolean pauseForBounces;

  InboundDecision(
      InboundStore store,
      Inbox inbox,
      long uidValidity,
      InboxBatch.Message message,
      MimeMessage parsed,
      Classification classification,
      InboundMatching.Keys keys) {
    this.store = store;
    this.inbox = inbox;
    this.uidValidity = uidValidity;
    this.message = message;
    this.parsed = parsed;
    this.classification = classification;
    this.keys = keys;
  }

  Inbox inbox() {
    return inbox;
  }

  long clientId() {
    return inbox.clientId();
  }

  long uidValidity() {
    return uidValidity;
  }

  InboxBatch.Message message() {
    return message;
  }

  /** The parsed message, or {@code null} when it could not be parsed. */
  MimeMessage parsed() {
    return parsed;
  }

  Classification classification() {
    return classification;
  }

  InboundMatching.Keys keys() {
    return keys;
  }

  /** Whether the mailbox is to be paused for its bounces once the transaction committed. */
  boolean pauseForBounces() {
    return pauseForBounces;
  }

  void pauseForBounces(boolean pause) {
    pauseForBounces = pause;
  }

  /** A reply's match: by the Message-IDs it refers to, else by its sender among this mailbox's. */
  Optional<MatchedBy> matchReply() {
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

  /** The timeline's words for a received reply: when it came and its subject (clipped). */
  String describeReceived() {
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

  /** Records the message in the inbound log: what it was, the lead it matched and what was done. */
  void record(String kind, Match lead, String matchedBy, String action) {
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

  /** Moves the mailbox's cursor past this message. */
  void advanceCursor() {
    store.saveCursor(
        inbox.clientId(), inbox.mailboxId(), new InboundStore.Cursor(uidValidity, message.uid()));
  }
}
