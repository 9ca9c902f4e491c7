package dev.outbound.activities.inbound;

import dev.outbound.activities.inbound.Classification.Bounce;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys that match a received message to the send it answers: the Message-IDs it refers to
 * (In-Reply-To, References, and for a bounce the bounced email's own Message-ID), normalised so
 * that they compare equal to the send ledger's, and the sender's address for the fallback match by
 * lead address.
 *
 * <p>A Message-ID in a received message is only a claim: anyone can write {@code In-Reply-To:
 * <outbound.c1.l2.s1@...>}. Look the candidates up in the send ledger of the mailbox's own client;
 * {@link #parseOurs} is for logs and quick filtering, not for trusting.
 */
public final class InboundMatching {

  /**
   * The matching keys of one message.
   *
   * @param messageId the message's own Message-ID, normalised, or {@code null} when it has none
   * @param candidates the Message-IDs it refers to, normalised, most likely first: a bounce's
   *     original, then In-Reply-To, then References from the newest to the oldest; no duplicates
   * @param sender the From address, lower-cased, or {@code null}
   * @param subject the decoded subject, or {@code null}
   * @param sentAt the Date header, or {@code null} when absent or unreadable
   */
  public record Keys(
      String messageId, List<String> candidates, String sender, String subject, Instant sentAt) {

    public Keys {
      candidates = List.copyOf(candidates);
    }

    /** The candidates that have our shape, parsed, in the same order. */
    public List<OurMessageId> ours() {
      return candidates.stream().flatMap(id -> parseOurs(id).stream()).toList();
    }
  }

  /**
   * What one of our Message-IDs says: {@code <outbound.c12.l345.s2@mailbox-domain>} (see {@code
   * MessageIds}).
   *
   * @param enrolmentId the lead ID of the API (an enrolment)
   */
  public record OurMessageId(long campaignId, long enrolmentId, int step, String domain) {}

  private static final Pattern OURS =
      Pattern.compile("<outbound\\.c(\\d{1,18})\\.l(\\d{1,18})\\.s(\\d{1,9})@([^<>@\\s]+)>");

  private static final Pattern ID_IN_LIST = Pattern.compile("<[^<>\\s]+>");

  private InboundMatching() {}

  /** The keys of {@code message}, with the bounced email's Message-ID when it is a bounce. */
  public static Keys of(MimeMessage message, Classification classification) {
    Set<String> candidates = new LinkedHashSet<>();
    if (classification instanceof Bounce bounce && bounce.originalMessageId() != null) {
      candidates.add(bounce.originalMessageId());
    }
    candidates.addAll(messageIds(MessageHeaders.value(message, "In-Reply-To")));
    List<String> references =
        new ArrayList<>(messageIds(MessageHeaders.value(message, "References")));
    // References lists the thread oldest first; the message answered is the last one.
    for (int i = references.size() - 1; i >= 0; i--) {
      candidates.add(references.get(i));
    }
    String subject;
    try {
      subject = message.getSubject();
    } catch (MessagingException e) {
      subject = MessageHeaders.value(message, "Subject");
    }
    return new Keys(
        normaliseMessageId(MessageHeaders.value(message, "Message-ID")).orElse(null),
        List.copyOf(candidates),
        sender(message),
        subject,
        Dates.sent(message).map(java.time.OffsetDateTime::toInstant).orElse(null));
  }

  /**
   * One Message-ID in the form the send ledger stores: in angle brackets, surrounding whitespace
   * and comments removed, the domain part lower-cased (the local part is case-sensitive and kept).
   * Empty for anything that is not a Message-ID.
   */
  public static Optional<String> normaliseMessageId(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String value = raw.strip();
    Matcher m = ID_IN_LIST.matcher(value);
    String id;
    if (m.find()) {
      id = m.group();
    } else if (!value.isEmpty() && value.indexOf('@') > 0 && !value.matches(".*[\\s<>].*")) {
      // Some clients leave the brackets out.
      id = "<" + value + ">";
    } else {
      return Optional.empty();
    }
    int at = id.lastIndexOf('@');
    if (at < 2 || at == id.length() - 2) {
      return Optional.empty();
    }
    return Optional.of(id.substring(0, at) + id.substring(at).toLowerCase(Locale.ROOT));
  }

  /** The Message-IDs of an In-Reply-To or References value, normalised, in order. */
  public static List<String> messageIds(String headerValue) {
    if (headerValue == null) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    Matcher m = ID_IN_LIST.matcher(headerValue);
    while (m.find()) {
      normaliseMessageId(m.group()).filter(id -> !ids.contains(id)).ifPresent(ids::add);
    }
    if (ids.isEmpty()) {
      normaliseMessageId(headerValue).ifPresent(ids::add);
    }
    return ids;
  }

  /** Campaign, enrolment and step out of one of our Message-IDs; empty for any other ID. */
  public static Optional<OurMessageId> parseOurs(String messageId) {
    Optional<String> normalised = normaliseMessageId(messageId);
    if (normalised.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = OURS.matcher(normalised.get());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new OurMessageId(
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              Integer.parseInt(m.group(3)),
              m.group(4)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The From address, lower-cased, or {@code null}. */
  static String sender(MimeMessage message) {
    try {
      Address[] from = message.getFrom();
      if (from != null) {
        for (Address address : from) {
          if (address instanceof InternetAddress internet && internet.getAddress() != null) {
            return internet.getAddress().toLowerCase(Locale.ROOT);
          }
        }
      }
    } catch (MessagingException e) {
      // An unparseable From is treated as none; the raw value is not trusted for matching.
    }
    return null;
  }
}
