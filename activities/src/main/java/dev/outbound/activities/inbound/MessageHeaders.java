package dev.outbound.activities.inbound;

import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.util.ArrayList;
import java.util.List;

/**
 * The headers of a received message as the inbound code reads them.
 *
 * <p>A header's text is every occurrence of it joined into one value, unfolded, and {@code null}
 * when the header is missing or cannot be read. There are two readings of it because the headers
 * read here are of two kinds, which differ in what separates their values and in whether an empty
 * header counts:
 *
 * <ul>
 *   <li>{@link #value}, for a single value or a list of Message-IDs (Message-ID, In-Reply-To,
 *       References, Date, Subject, Precedence, Auto-Submitted): occurrences are joined by a space,
 *       as Message-IDs in a list are separated by white space (a comma would glue two IDs written
 *       without brackets into one); an empty header is {@code ""}, present, because the classifier
 *       takes any In-Reply-To or References header as a sign of a reply.
 *   <li>{@link #addressList}, for a list of addresses (X-Failed-Recipients): occurrences are joined
 *       by a comma, the separator of an address list; an empty header is {@code null}, absent,
 *       because the bounce parser takes the header as evidence of a bounce only when it names
 *       someone.
 * </ul>
 */
final class MessageHeaders {

  /** Where a server says it delivered a message (plus-addressing keeps a token here). */
  private static final List<String> DELIVERY_HEADERS =
      List.of("Delivered-To", "X-Original-To", "Envelope-To");

  private MessageHeaders() {}

  /** A single value or a list of Message-IDs; {@code ""} for an empty header. */
  static String value(MimeMessage message, String name) {
    return joined(message, name, " ");
  }

  /** A list of addresses; {@code null} for an empty header as for a missing one. */
  static String addressList(MimeMessage message, String name) {
    String value = joined(message, name, ",");
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * The addresses the message was sent to (To and Cc) and then those the server says it delivered
   * it to, in that order; what was read before an unreadable header.
   */
  static List<String> recipients(MimeMessage message) {
    List<String> found = new ArrayList<>();
    try {
      Address[] to = message.getRecipients(RecipientType.TO);
      Address[] cc = message.getRecipients(RecipientType.CC);
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
      for (String header : DELIVERY_HEADERS) {
        String[] values = message.getHeader(header);
        if (values != null) {
          for (String v : values) {
            found.add(v.strip().replaceAll("^<|>$", ""));
          }
        }
      }
    } catch (MessagingException e) {
      // Unreadable recipients: the ones read so far.
    }
    return found;
  }

  private static String joined(MimeMessage message, String name, String separator) {
    try {
      String value = message.getHeader(name, separator);
      return value == null ? null : MimeUtility.unfold(value);
    } catch (MessagingException e) {
      return null;
    }
  }
}
