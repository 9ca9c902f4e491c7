package dev.outbound.activities.send;

import jakarta.mail.internet.InternetAddress;
import java.util.List;

/**
 * One rendered email, ready for SMTP. {@link #toString()} leaves out everything personal.
 *
 * @param messageId the deterministic Message-ID, with angle brackets
 * @param from the mailbox ("display name" and address)
 * @param to the lead
 * @param subject the rendered subject, free of line breaks
 * @param text the plain-text body
 * @param html the HTML alternative
 * @param earlierMessageIds the Message-IDs of the earlier steps, oldest first, for threading
 * @param listUnsubscribe the {@code List-Unsubscribe} value (RFC 2369), or {@code null} for none
 * @param listUnsubscribePost the {@code List-Unsubscribe-Post} value (RFC 8058), or {@code null}
 */
public record OutgoingEmail(
    String messageId,
    InternetAddress from,
    InternetAddress to,
    String subject,
    String text,
    String html,
    List<String> earlierMessageIds,
    String listUnsubscribe,
    String listUnsubscribePost) {

  /** An email without unsubscribe headers (tests of the SMTP exchange alone). */
  public OutgoingEmail(
      String messageId,
      InternetAddress from,
      InternetAddress to,
      String subject,
      String text,
      String html,
      List<String> earlierMessageIds) {
    this(messageId, from, to, subject, text, html, earlierMessageIds, null, null);
  }

  public OutgoingEmail {
    earlierMessageIds = List.copyOf(earlierMessageIds);
    Headers.requireSingleLine(messageId, "Message-ID");
    Headers.requireSingleLine(subject, "subject");
    for (String id : earlierMessageIds) {
      Headers.requireSingleLine(id, "References");
    }
    Headers.requireSingleLine(listUnsubscribe, "List-Unsubscribe");
    Headers.requireSingleLine(listUnsubscribePost, "List-Unsubscribe-Post");
  }

  @Override
  public String toString() {
    return "OutgoingEmail[" + messageId + "]";
  }
}
