package dev.outbound.activities.inbound;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The text of a received message, split into what the sender wrote and what they quoted.
 *
 * @param full all text parts outside attached messages (plain text preferred over HTML), as sent
 * @param fresh the lines above the first quote marker, without "&gt;" lines: what the sender wrote
 */
record MessageText(String full, String fresh) {

  /**
   * Text beyond this is not read: classification needs the top of a message, not its attachments.
   */
  static final int MAX_CHARS = 200_000;

  /** A line that opens a quoted message, in the languages we read ("On ... wrote:" and kin). */
  private static final Pattern QUOTE_HEADER =
      Pattern.compile(
          "(?i)^\\s*(?:"
              + "on\\b.{0,300}\\bwrote\\s*:"
              + "|am\\b.{0,300}\\bschrieb\\b.{0,200}:"
              + "|le\\b.{0,300}\\ba\\s+[ée]crit\\s*:"
              + "|el\\b.{0,300}\\bescribi[óo]\\s*:"
              + "|op\\b.{0,300}\\b(?:schreef|geschreven)\\b.{0,200}:"
              + "|il\\b.{0,300}\\bha\\s+scritto\\s*:"
              + "|em\\b.{0,300}\\bescreveu\\s*:"
              + "|-{2,}\\s*(?:original message|ursprüngliche nachricht|originalnachricht"
              + "|message d'origine|mensaje original|oorspronkelijk bericht|messaggio originale"
              + "|mensagem original|forwarded message|weitergeleitete nachricht)\\s*-{2,}"
              + "|_{10,}"
              + ")\\s*$");

  /** The first line of an Outlook-style quoted header block ("From: ..." then "Sent: ..."). */
  private static final Pattern OUTLOOK_FROM =
      Pattern.compile("(?i)^\\s*\\*?(?:from|von|de|van|da)\\s*:\\*?\\s+\\S.*$");

  private static final Pattern OUTLOOK_NEXT =
      Pattern.compile(
          "(?i)^\\s*\\*?(?:sent|gesendet|envoy[ée]|enviado|verzonden|inviato|date|datum|data"
              + "|fecha|to|an|[àa]|para|aan|a)\\s*:\\*?\\s.*$");

  static MessageText of(Part message) throws MessagingException, IOException {
    StringBuilder plain = new StringBuilder();
    StringBuilder html = new StringBuilder();
    collect(message, plain, html, 0);
    String full = plain.length() > 0 ? plain.toString() : Text.htmlToText(html.toString());
    return new MessageText(full, fresh(full));
  }

  /** The lines a sender wrote above whatever they quote. */
  static String fresh(String text) {
    String[] lines = text.split("\\r?\\n", -1);
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      // Clients wrap a long "On <date>, <name> <address> wrote:" over two or three lines.
      String joined2 = i + 1 < lines.length ? line + " " + lines[i + 1] : line;
      String joined3 = i + 2 < lines.length ? joined2 + " " + lines[i + 2] : joined2;
      if (QUOTE_HEADER.matcher(line).matches()
          || (line.matches("(?i)^\\s*(on|am|le|el|op|il|em)\\b.*")
              && (QUOTE_HEADER.matcher(joined2).matches()
                  || QUOTE_HEADER.matcher(joined3).matches()))
          || outlookHeader(lines, i)) {
        break;
      }
      if (line.stripLeading().startsWith(">")) {
        continue;
      }
      kept.add(line);
    }
    return String.join("\n", kept).strip();
  }

  private static boolean outlookHeader(String[] lines, int i) {
    if (!OUTLOOK_FROM.matcher(lines[i]).matches()) {
      return false;
    }
    for (int j = i + 1; j < Math.min(lines.length, i + 4); j++) {
      if (OUTLOOK_NEXT.matcher(lines[j]).matches()) {
        return true;
      }
    }
    return false;
  }

  private static void collect(Part part, StringBuilder plain, StringBuilder html, int depth)
      throws MessagingException, IOException {
    if (depth > 10 || plain.length() > MAX_CHARS || html.length() > MAX_CHARS) {
      return;
    }
    if (part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers")) {
      // An attached message is someone else's text (a bounce's original, a forwarded mail).
      return;
    }
    if (part.isMimeType("multipart/*")) {
      Object content = part.getContent();
      if (!(content instanceof Multipart multipart)) {
        return;
      }
      if (part.isMimeType("multipart/alternative")) {
        // Each alternative says the same thing: take the plain one when there is one.
        BodyPart chosen = null;
        for (int i = 0; i < multipart.getCount(); i++) {
          BodyPart child = multipart.getBodyPart(i);
          if (child.isMimeType("text/plain")) {
            chosen = child;
            break;
          }
          if (chosen == null) {
            chosen = child;
          }
        }
        if (chosen != null) {
          collect(chosen, plain, html, depth + 1);
        }
        return;
      }
      for (int i = 0; i < multipart.getCount(); i++) {
        collect(multipart.getBodyPart(i), plain, html, depth + 1);
      }
      return;
    }
    if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
      return;
    }
    if (part.isMimeType("text/plain")) {
      plain.append(read(part)).append('\n');
    } else if (part.isMimeType("text/html")) {
      html.append(read(part)).append('\n');
    }
  }

  /**
   * A text part's content. A part in a charset the JDK does not know is read as UTF-8 rather than
   * failing the whole message.
   */
  static String read(Part part) throws MessagingException, IOException {
    try {
      Object content = part.getContent();
      if (content instanceof String text) {
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
      }
      if (content instanceof InputStream stream) {
        return readBytes(stream);
      }
      return "";
    } catch (java.io.UnsupportedEncodingException e) {
      return readBytes(part.getInputStream());
    }
  }

  static String readBytes(InputStream stream) throws IOException {
    try (stream) {
      byte[] bytes = stream.readNBytes(MAX_CHARS);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
