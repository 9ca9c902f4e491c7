package dev.outbound.activities.inbound;

import dev.outbound.activities.JakartaMail;
import dev.outbound.activities.inbound.Classification.AutoReply;
import dev.outbound.activities.inbound.Classification.AutoReplyKind;
import dev.outbound.activities.inbound.Classification.HumanReply;
import dev.outbound.activities.inbound.Classification.Unknown;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Says what a received message is: a {@link HumanReply}, an {@link AutoReply} (out-of-office with
 * its return date when one can be read, ticket systems, challenge-response, bulk mail), a {@link
 * Classification.Bounce} (hard or soft), or {@link Unknown}.
 *
 * <p>In this order: a bounce is recognised first (delivery status notifications carry {@code
 * Auto-Submitted} too); then the headers of automatic mail (RFC 3834 {@code Auto-Submitted} other
 * than {@code no}, {@code X-Autoreply}, {@code X-Autorespond}, {@code X-Auto-Response-Suppress},
 * {@code Precedence: auto_reply/bulk/junk/list}, ticket-system headers); then a subject that starts
 * like an out-of-office or a challenge; then the text the sender wrote (never what they quote).
 * What remains is a human reply when there is any text or it is a reply; otherwise unknown.
 *
 * <p>Stateless and thread-safe.
 */
@Component
public class InboundClassifier {

  /** A message that says it is automatic by headers alone. */
  private static final Set<String> AUTO_HEADERS =
      Set.of(
          "X-Autoreply",
          "X-Autorespond",
          "X-Autoresponder",
          "X-Auto-Response-Suppress",
          "X-Boxtrapper",
          "X-Zendesk-From-Account-Id",
          "X-Freshdesk-Ticket",
          "X-OTRS-Loop",
          "X-Helpscout-Conversation-Id",
          "RT-Ticket");

  /**
   * Only a short message can be an out-of-office by its text alone (no header, no subject): an
   * out-of-office is a few lines, and a long reply that mentions a holiday is a reply.
   */
  static final int MAX_TEXT_ONLY_AUTO_REPLY = 1500;

  private static final Pattern REPLY_SUBJECT =
      Pattern.compile("(?i)^\\s*(?:re|aw|antw|sv|vs|r|rif|res|ref|wg)\\s*(?:\\[\\d+\\])?\\s*:");

  private final Clock clock;

  public InboundClassifier() {
    this(Clock.systemUTC());
  }

  static {
    JakartaMail.configure();
  }

  /**
   * @param clock "today" for a message without a readable Date header, to place a return date
   *     written without a year
   */
  public InboundClassifier(Clock clock) {
    this.clock = clock;
  }

  /**
   * The session every message is parsed in: one for all, as a session only carries these settings
   * and creating one reads Jakarta Mail's provider files from the class path.
   */
  private static final Session PARSING = Session.getInstance(parsingProperties());

  private static Properties parsingProperties() {
    Properties properties = new Properties();
    // Raw UTF-8 in headers (RFC 6532) is read as UTF-8, not as Latin-1.
    properties.setProperty("mail.mime.allowutf8", "true");
    properties.setProperty("mail.mime.parameters.strict", "false");
    properties.setProperty("mail.mime.address.strict", "false");
    properties.setProperty("mail.mime.multipart.ignoremissingendboundary", "true");
    properties.setProperty("mail.mime.multipart.ignoremissingboundaryparameter", "true");
    return properties;
  }

  /** Parses raw RFC 5322 bytes, leniently (real mail breaks the rules in small ways). */
  public static MimeMessage parse(byte[] raw) {
    try {
      return new MimeMessage(PARSING, new ByteArrayInputStream(raw));
    } catch (MessagingException e) {
      throw new IllegalArgumentException("not a parseable message", e);
    }
  }

  /** Classifies raw RFC 5322 bytes, e.g. as fetched by {@link ImapInbox}. */
  public Classification classify(byte[] raw) {
    MimeMessage message;
    try {
      message = parse(raw);
    } catch (IllegalArgumentException e) {
      return new Unknown("unparseable message");
    }
    return classify(message);
  }

  /** Classifies a parsed message. Never throws: what cannot be read is {@link Unknown}. */
  public Classification classify(MimeMessage message) {
    try {
      return classifyOrThrow(message);
    } catch (MessagingException | IOException | RuntimeException e) {
      return new Unknown("unreadable message: " + e.getClass().getSimpleName());
    }
  }

  private Classification classifyOrThrow(MimeMessage message)
      throws MessagingException, IOException {
    MessageText text = MessageText.of(message);
    String subject = subject(message);
    String from = InboundMatching.sender(message);

    BounceParser.Result bounce =
        BounceParser.parse(message, text, from, subject, ownAddresses(message, from));
    if (bounce instanceof BounceParser.Found found) {
      return found.bounce();
    }
    if (bounce instanceof BounceParser.DeliveredReport) {
      return new Unknown("delivery report without failed or delayed recipients");
    }

    String fresh = Text.normalise(text.fresh());
    String normalisedSubject = Text.normalise(subject);
    LocalDate written = written(message);

    boolean automaticByHeader = automaticByHeader(message);
    String precedence = lower(MessageHeaders.value(message, "Precedence"));
    boolean bulk = precedence != null && precedence.matches("\\s*(bulk|junk|list)\\s*");
    boolean autoReplyPrecedence = precedence != null && precedence.strip().equals("auto_reply");
    boolean isMdn = isReadReceipt(message);

    boolean oooSubject = Phrases.OOO_SUBJECT_START.matcher(normalisedSubject).find();
    boolean challenge =
        Phrases.CHALLENGE.matcher(fresh).find()
            || Phrases.CHALLENGE_SUBJECT.matcher(normalisedSubject).find();
    boolean responder = Phrases.AUTO_RESPONDER.matcher(fresh).find();
    boolean oooText = Phrases.OOO_BODY.matcher(fresh).find();
    boolean shortText = fresh.length() <= MAX_TEXT_ONLY_AUTO_REPLY;

    boolean automatic =
        automaticByHeader
            || autoReplyPrecedence
            || isMdn
            || oooSubject
            || (shortText
                && (challenge || responder || Phrases.OOO_FIRST_PERSON.matcher(fresh).find()));
    if (automatic) {
      if (challenge) {
        return new AutoReply(AutoReplyKind.CHALLENGE_RESPONSE, null);
      }
      if (oooSubject || oooText) {
        LocalDate back = ReturnDates.find(subject + "\n" + text.fresh(), written).orElse(null);
        return new AutoReply(AutoReplyKind.OUT_OF_OFFICE, back);
      }
      if (!responder && bulk && !automaticByHeader && !autoReplyPrecedence) {
        return new AutoReply(AutoReplyKind.BULK, null);
      }
      return new AutoReply(AutoReplyKind.AUTO_RESPONDER, null);
    }
    if (bulk) {
      return new AutoReply(AutoReplyKind.BULK, null);
    }
    boolean isReply =
        MessageHeaders.value(message, "In-Reply-To") != null
            || MessageHeaders.value(message, "References") != null
            || REPLY_SUBJECT.matcher(subject).find();
    if (fresh.isEmpty() && !isReply) {
      return new Unknown("no text and not a reply");
    }
    return new HumanReply(Phrases.UNSUBSCRIBE_REQUEST.matcher(fresh).find());
  }

  /** RFC 3834 and the common non-standard headers of automatic mail. */
  private static boolean automaticByHeader(MimeMessage message) throws MessagingException {
    String autoSubmitted = lower(MessageHeaders.value(message, "Auto-Submitted"));
    if (autoSubmitted != null && !autoSubmitted.strip().startsWith("no")) {
      return true;
    }
    for (String name : AUTO_HEADERS) {
      String value = lower(MessageHeaders.value(message, name));
      if (value != null && !value.strip().equals("no") && !value.strip().equals("false")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isReadReceipt(MimeMessage message) throws MessagingException {
    String type = lower(message.getContentType());
    return type != null
        && type.startsWith("multipart/report")
        && type.contains("disposition-notification");
  }

  /** The day the message was written, in the sender's offset; today when the Date is unreadable. */
  private LocalDate written(MimeMessage message) {
    return Dates.sent(message)
        .map(OffsetDateTime::toLocalDate)
        .orElseGet(() -> LocalDate.now(clock));
  }

  private static String subject(MimeMessage message) {
    try {
      String subject = message.getSubject();
      return subject == null ? "" : subject;
    } catch (MessagingException e) {
      String raw = MessageHeaders.value(message, "Subject");
      return raw == null ? "" : raw;
    }
  }

  /** The bounce's own From and To: never the failed recipient. */
  private static List<String> ownAddresses(MimeMessage message, String from) {
    List<String> own = new ArrayList<>();
    if (from != null) {
      own.add(from);
    }
    try {
      Address[] to = message.getRecipients(MimeMessage.RecipientType.TO);
      if (to != null) {
        for (Address address : to) {
          if (address instanceof InternetAddress internet && internet.getAddress() != null) {
            own.add(internet.getAddress().toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (MessagingException e) {
      // Without a readable To, nothing is excluded but the daemon addresses.
    }
    return own;
  }

  private static String lower(String value) {
    return value == null ? null : value.toLowerCase(Locale.ROOT);
  }
}
