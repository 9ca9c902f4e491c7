package dev.outbound.activities.inbound;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import java.text.ParseException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Optional;

/** The Date header, with the sender's own offset kept (it decides what "12 January" means). */
final class Dates {

  private Dates() {}

  static Optional<OffsetDateTime> sent(MimeMessage message) {
    String raw = MessageHeaders.value(message, "Date");
    if (raw == null) {
      return Optional.empty();
    }
    // Drop comments such as "(CET)" and "(UTC)" that RFC 5322 allows after the offset.
    String cleaned = raw.replaceAll("\\([^)]*\\)", " ").replaceAll("\\s+", " ").strip();
    try {
      return Optional.of(OffsetDateTime.parse(cleaned, DateTimeFormatter.RFC_1123_DATE_TIME));
    } catch (DateTimeParseException e) {
      // Jakarta Mail's parser is more lenient (two-digit years, zone names); it loses the offset.
    }
    try {
      Date date = new MailDateFormat().parse(cleaned);
      return date == null
          ? Optional.empty()
          : Optional.of(date.toInstant().atOffset(ZoneOffset.UTC));
    } catch (ParseException e) {
      try {
        Date date = message.getSentDate();
        return date == null
            ? Optional.empty()
            : Optional.of(date.toInstant().atOffset(ZoneOffset.UTC));
      } catch (MessagingException inner) {
        return Optional.empty();
      }
    }
  }
}
