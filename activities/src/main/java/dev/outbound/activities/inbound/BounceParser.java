package dev.outbound.activities.inbound;

import dev.outbound.activities.inbound.Classification.Bounce;
import dev.outbound.activities.inbound.Classification.BounceType;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises bounces: RFC 3464 delivery status notifications first (what Postfix, Exim, Gmail,
 * Exchange and most others send), then the non-standard shapes (plain-text bounces from
 * MAILER-DAEMON or postmaster, qmail's "failure notice", older Exchange NDRs) by sender, subject
 * and the failure wording of their text.
 */
final class BounceParser {

  /** The result of looking at a message for a bounce. */
  sealed interface Result {}

  /** It is a bounce. */
  record Found(Bounce bounce) implements Result {}

  /** It is a delivery report that reports no failure (delivered, relayed, expanded). */
  record DeliveredReport() implements Result {}

  /** It is not a bounce. */
  record NotABounce() implements Result {}

  private static final Pattern ENHANCED_STATUS =
      Pattern.compile("(?<![\\d.])([245])\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");

  private static final Pattern SMTP_CODE_IN_CONTEXT =
      Pattern.compile(
          "(?i)(?:said|returned|error|code|reply|response|smtp;|diagnostic-code:|remote server"
              + " returned|\\()\\W{0,4}([45]\\d\\d)(?![\\d.])");

  private static final Pattern SMTP_CODE_AT_LINE_START =
      Pattern.compile("(?m)^\\s*([45][0-5]\\d)[ -]");

  private static final Pattern ADDRESS =
      Pattern.compile(
          "[a-zA-Z0-9._%+'=-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+");

  /** Postfix and qmail name the failed recipient in angle brackets at the start of a line. */
  private static final Pattern BRACKETED_RECIPIENT =
      Pattern.compile("(?m)^\\s*<([^<>\\s@]+@[^<>\\s]+)>\\s*:");

  private static final Pattern MESSAGE_ID_LINE =
      Pattern.compile("(?im)^message-id:\\s*(<[^<>\\s]+>)");

  /** Where plain-text bounces start quoting the original message. */
  private static final Pattern ORIGINAL_FOLLOWS =
      Pattern.compile(
          "(?im)^(?:-+ ?(?:below this line is a copy of the message|original message"
              + "|this is a copy of the message|the original message|undelivered message"
              + "|original message headers).*|original message headers:.*"
              + "|-{5,}\\s*original message\\s*-{5,}.*)$");

  private static final Set<String> DAEMON_LOCAL_PARTS =
      Set.of("mailer-daemon", "mailer_daemon", "postmaster", "mail-daemon", "maildaemon");

  private BounceParser() {}

  static Result parse(
      MimeMessage message, MessageText text, String from, String subject, List<String> ownAddresses)
      throws MessagingException, IOException {
    List<Part> statusParts = new ArrayList<>();
    List<Part> originalParts = new ArrayList<>();
    boolean report = message.isMimeType("multipart/report");
    walk(message, statusParts, originalParts, 0);
    String originalId = originalMessageId(originalParts, text.full());
    if (originalId == null) {
      originalId = referencedId(message);
    }

    if (!statusParts.isEmpty()) {
      Optional<Bounce> dsn = fromStatus(statusParts, text.full(), originalId);
      if (dsn.isPresent()) {
        return new Found(dsn.get());
      }
      return new DeliveredReport();
    }
    if (report && isDispositionReport(message)) {
      return new NotABounce();
    }

    String failedHeader = MessageHeaders.addressList(message, "X-Failed-Recipients");
    boolean daemon = isDaemon(from);
    String normalisedSubject = Text.normalise(subject);
    boolean bounceSubject = Phrases.BOUNCE_SUBJECT.matcher(normalisedSubject).find();
    String reportText = beforeOriginal(text.full());
    String normalisedReport = Text.normalise(reportText);
    boolean evidence =
        Phrases.BOUNCE_EVIDENCE.matcher(normalisedReport).find()
            || ENHANCED_STATUS.matcher(reportText).find();
    if (!(failedHeader != null
        || (daemon && (bounceSubject || evidence))
        || (bounceSubject && evidence))) {
      return new NotABounce();
    }

    String status = firstStatus(reportText);
    String diagnostic = diagnosticLine(reportText);
    String recipient =
        failedHeader != null
            ? firstAddress(failedHeader, ownAddresses)
            : failedRecipient(reportText, ownAddresses);
    BounceType type =
        typeOf(null, status, normalisedReport + " " + normalisedSubject, smtpCode(reportText));
    return new Found(new Bounce(type, recipient, status, diagnostic, originalId));
  }

  private static void walk(Part part, List<Part> status, List<Part> originals, int depth)
      throws MessagingException, IOException {
    if (depth > 10) {
      return;
    }
    if (part.isMimeType("message/delivery-status")
        || part.isMimeType("message/global-delivery-status")) {
      status.add(part);
      return;
    }
    if (part.isMimeType("message/rfc822")
        || part.isMimeType("message/global")
        || part.isMimeType("text/rfc822-headers")
        || part.isMimeType("message/global-headers")) {
      originals.add(part);
      return;
    }
    if (part.isMimeType("multipart/*")) {
      Object content = part.getContent();
      if (content instanceof Multipart multipart) {
        for (int i = 0; i < multipart.getCount(); i++) {
          BodyPart child = multipart.getBodyPart(i);
          walk(child, status, originals, depth + 1);
        }
      }
    }
  }

  private static boolean isDispositionReport(MimeMessage message) throws MessagingException {
    String type = message.getContentType();
    return type != null && type.toLowerCase(Locale.ROOT).contains("disposition-notification");
  }

  /** The bounce described by the delivery-status parts, or empty when nothing failed. */
  private static Optional<Bounce> fromStatus(List<Part> parts, String text, String originalId)
      throws MessagingException, IOException {
    Map<String, String> chosen = null;
    int chosenRank = 0;
    for (Part part : parts) {
      for (Map<String, String> fields : groups(rawText(part))) {
        String action = fields.getOrDefault("action", "").toLowerCase(Locale.ROOT).strip();
        String status = fields.getOrDefault("status", "");
        int rank =
            switch (action) {
              case "failed" -> 3;
              case "delayed" -> 2;
              case "" -> status.matches("\\s*[45]\\..*") ? 1 : 0;
              default -> 0;
            };
        if (rank > chosenRank) {
          chosen = fields;
          chosenRank = rank;
        }
      }
    }
    if (chosen == null) {
      return Optional.empty();
    }
    String action = chosen.getOrDefault("action", "").toLowerCase(Locale.ROOT).strip();
    String status = firstStatus(chosen.getOrDefault("status", ""));
    String diagnostic = clip(stripType(chosen.get("diagnostic-code")));
    String recipient = address(stripType(chosen.get("final-recipient")));
    if (recipient == null) {
      recipient = address(stripType(chosen.get("original-recipient")));
    }
    String evidence =
        Text.normalise((diagnostic == null ? "" : diagnostic) + " " + beforeOriginal(text));
    BounceType type =
        typeOf(action, status, evidence, smtpCode(diagnostic == null ? "" : diagnostic));
    return Optional.of(new Bounce(type, recipient, status, diagnostic, originalId));
  }

  /**
   * Hard or soft. Delays, 4.x.x codes and full mailboxes are soft; so are policy and reputation
   * refusals under 5.7.x (the address works, our mail was refused). Any other failure is hard.
   */
  static BounceType typeOf(String action, String status, String evidence, String smtpCode) {
    if ("delayed".equals(action)) {
      return BounceType.SOFT;
    }
    if ("4.2.2".equals(status)
        || "5.2.2".equals(status)
        || Phrases.MAILBOX_FULL.matcher(evidence).find()) {
      return BounceType.SOFT;
    }
    if (status != null) {
      if (status.startsWith("4")) {
        return BounceType.SOFT;
      }
      if (status.startsWith("5.7.") && Phrases.REPUTATION_BLOCK.matcher(evidence).find()) {
        return BounceType.SOFT;
      }
      if (status.startsWith("5")) {
        return BounceType.HARD;
      }
    }
    if (smtpCode != null) {
      return smtpCode.startsWith("4") ? BounceType.SOFT : BounceType.HARD;
    }
    if ("failed".equals(action)) {
      return BounceType.HARD;
    }
    return Phrases.TEMPORARY.matcher(evidence).find() ? BounceType.SOFT : BounceType.HARD;
  }

  /** The field groups of a delivery-status body: the per-message group, then one per recipient. */
  static List<Map<String, String>> groups(String body) {
    List<Map<String, String>> groups = new ArrayList<>();
    Map<String, String> current = new LinkedHashMap<>();
    String lastName = null;
    for (String line : body.split("\\r?\\n", -1)) {
      if (line.isBlank()) {
        if (!current.isEmpty()) {
          groups.add(current);
          current = new LinkedHashMap<>();
        }
        lastName = null;
        continue;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && lastName != null) {
        current.merge(lastName, " " + line.strip(), String::concat);
        continue;
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        lastName = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        current.putIfAbsent(lastName, line.substring(colon + 1).strip());
      }
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    return groups;
  }

  /** The Message-ID of the bounced email: from the attached original, else from the text. */
  private static String originalMessageId(List<Part> originals, String text)
      throws MessagingException, IOException {
    for (Part part : originals) {
      String id = null;
      Object content = part.isMimeType("message/rfc822") ? part.getContent() : null;
      if (content instanceof MimeMessage original) {
        id = original.getHeader("Message-ID", null);
      } else {
        InternetHeaders headers =
            new InternetHeaders(
                new ByteArrayInputStream(rawText(part).getBytes(StandardCharsets.UTF_8)));
        id = headers.getHeader("Message-ID", null);
      }
      Optional<String> normalised = InboundMatching.normaliseMessageId(id);
      if (normalised.isPresent()) {
        return normalised.get();
      }
    }
    Matcher m = MESSAGE_ID_LINE.matcher(text);
    return m.find() ? InboundMatching.normaliseMessageId(m.group(1)).orElse(null) : null;
  }

  /** The bounced email's Message-ID as the bounce's own In-Reply-To or References name it. */
  private static String referencedId(MimeMessage message) {
    List<String> inReplyTo =
        InboundMatching.messageIds(MessageHeaders.value(message, "In-Reply-To"));
    if (!inReplyTo.isEmpty()) {
      return inReplyTo.get(0);
    }
    List<String> references =
        InboundMatching.messageIds(MessageHeaders.value(message, "References"));
    return references.isEmpty() ? null : references.get(references.size() - 1);
  }

  /** A part's decoded bytes as text, whatever Jakarta Mail's handlers would make of it. */
  private static String rawText(Part part) throws MessagingException, IOException {
    try (InputStream in = part.getInputStream()) {
      return new String(in.readNBytes(MessageText.MAX_CHARS), StandardCharsets.UTF_8);
    }
  }

  /** The report part of a plain-text bounce: everything above the copy of the original. */
  static String beforeOriginal(String text) {
    Matcher m = ORIGINAL_FOLLOWS.matcher(text);
    return m.find() ? text.substring(0, m.start()) : text;
  }

  private static String firstStatus(String text) {
    Matcher m = ENHANCED_STATUS.matcher(text);
    return m.find() ? m.group(1) + "." + m.group(2) + "." + m.group(3) : null;
  }

  private static String smtpCode(String text) {
    Matcher m = SMTP_CODE_IN_CONTEXT.matcher(text);
    if (m.find()) {
      return m.group(1);
    }
    m = SMTP_CODE_AT_LINE_START.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** The first line of a plain-text bounce that carries an SMTP code: the server's own words. */
  private static String diagnosticLine(String text) {
    for (String line : text.split("\\r?\\n")) {
      if (ENHANCED_STATUS.matcher(line).find() || SMTP_CODE_IN_CONTEXT.matcher(line).find()) {
        return clip(line.strip());
      }
    }
    return null;
  }

  private static String failedRecipient(String text, List<String> own) {
    Matcher m = BRACKETED_RECIPIENT.matcher(text);
    while (m.find()) {
      String candidate = m.group(1).toLowerCase(Locale.ROOT);
      if (!excluded(candidate, own)) {
        return candidate;
      }
    }
    return firstAddress(text, own);
  }

  private static String firstAddress(String text, List<String> own) {
    Matcher m = ADDRESS.matcher(text);
    while (m.find()) {
      String candidate = m.group().toLowerCase(Locale.ROOT);
      // An address inside a Message-ID ("<abc@host>" after "Message-ID:") is not a recipient.
      int lineStart = text.lastIndexOf('\n', m.start()) + 1;
      String linePrefix = text.substring(lineStart, m.start()).toLowerCase(Locale.ROOT);
      if (linePrefix.contains("message-id") || linePrefix.contains("references")) {
        continue;
      }
      if (!excluded(candidate, own)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean excluded(String address, List<String> own) {
    String local = address.substring(0, address.indexOf('@'));
    return own.contains(address) || DAEMON_LOCAL_PARTS.contains(local);
  }

  static boolean isDaemon(String from) {
    if (from == null) {
      return false;
    }
    String f = from.toLowerCase(Locale.ROOT);
    int at = f.indexOf('@');
    String local = at < 0 ? f : f.substring(0, at);
    return DAEMON_LOCAL_PARTS.contains(local);
  }

  private static String stripType(String value) {
    if (value == null) {
      return null;
    }
    int semicolon = value.indexOf(';');
    return (semicolon >= 0 ? value.substring(semicolon + 1) : value).strip();
  }

  private static String address(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = ADDRESS.matcher(value);
    return m.find() ? m.group().toLowerCase(Locale.ROOT) : null;
  }

  private static String clip(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String single = value.replaceAll("\\s+", " ").strip();
    return single.length() > 500 ? single.substring(0, 500) : single;
  }
}
