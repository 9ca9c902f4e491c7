package dev.outbound.activities.send;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Date;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.stereotype.Component;

/**
 * Sends one email over SMTP with Jakarta Mail, with the Message-ID the ledger claimed, and sorts
 * every failure into what it means for the claim ({@link SmtpFailure.Kind}).
 *
 * <p>One connection per email for now. DESIGN.md section 5a measured ~23 msg/s that way against
 * ~2,200 msg/s on a reused connection; mailbox caps keep real rates far below the former.
 */
@Component
public class SmtpMailer {

  /** An enhanced status code (RFC 3463) at the start of a reply, e.g. "550 5.1.1 ...". */
  private static final Pattern ENHANCED_CODE =
      Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})");

  private final MailProperties properties;

  public SmtpMailer(MailProperties properties) {
    this.properties = properties;
  }

  /**
   * Sends {@code email} from {@code account}.
   *
   * @throws SmtpFailure when the server did not accept it, sorted by what it means
   */
  public void send(SmtpAccount account, OutgoingEmail email) throws SmtpFailure {
    Session session = Session.getInstance(sessionProperties(account, email));
    TrackedMessage message;
    try {
      message = build(session, email);
    } catch (MessagingException e) {
      // Building touches no server; a failure here is ours, and nothing was sent.
      throw new SmtpFailure(SmtpFailure.Kind.TRANSIENT, "cannot build the message: " + kindOf(e));
    }
    Transport transport = null;
    try {
      transport = session.getTransport("smtp");
      transport.connect(account.host(), account.port(), account.username(), account.password());
      transport.sendMessage(message, message.getAllRecipients());
    } catch (AuthenticationFailedException e) {
      throw new SmtpFailure(SmtpFailure.Kind.AUTHENTICATION, "the server refused the credentials");
    } catch (MessagingException e) {
      throw classify(e, message.contentWritten());
    } finally {
      closeQuietly(transport);
    }
  }

  private Properties sessionProperties(SmtpAccount account, OutgoingEmail email) {
    Properties p = new Properties();
    p.setProperty("mail.smtp.host", account.host());
    p.setProperty("mail.smtp.port", Integer.toString(account.port()));
    p.setProperty("mail.smtp.connectiontimeout", millis(properties.connectTimeout()));
    p.setProperty("mail.smtp.timeout", millis(properties.readTimeout()));
    p.setProperty("mail.smtp.writetimeout", millis(properties.writeTimeout()));
    // The envelope sender is the mailbox, so bounces come back to the inbox we watch.
    p.setProperty("mail.smtp.from", email.from().getAddress());
    p.setProperty("mail.smtp.auth", Boolean.toString(account.username() != null));
    if (account.tls()) {
      if (account.port() == 465) {
        p.setProperty("mail.smtp.ssl.enable", "true");
      } else {
        // Required, not opportunistic: a server that does not offer STARTTLS must not get the
        // credentials and the lead's email in clear text.
        p.setProperty("mail.smtp.starttls.enable", "true");
        p.setProperty("mail.smtp.starttls.required", "true");
      }
      p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
    }
    return p;
  }

  private static String millis(java.time.Duration d) {
    return Long.toString(d.toMillis());
  }

  private static TrackedMessage build(Session session, OutgoingEmail email)
      throws MessagingException {
    TrackedMessage message = new TrackedMessage(session, email.messageId());
    message.setFrom(email.from());
    message.setRecipient(Message.RecipientType.TO, email.to());
    message.setSubject(email.subject(), "UTF-8");
    message.setSentDate(new Date());
    if (!email.earlierMessageIds().isEmpty()) {
      // In-Reply-To names the latest earlier step, References the whole chain: mail clients then
      // show
      // the follow-up in the thread of the first email.
      message.setHeader(
          "In-Reply-To", email.earlierMessageIds().get(email.earlierMessageIds().size() - 1));
      message.setHeader("References", String.join(" ", email.earlierMessageIds()));
    }
    MimeBodyPart text = new MimeBodyPart();
    text.setText(email.text(), "UTF-8");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(email.html(), "UTF-8", "html");
    MimeMultipart alternative = new MimeMultipart("alternative");
    alternative.addBodyPart(text);
    alternative.addBodyPart(html);
    message.setContent(alternative);
    message.saveChanges();
    return message;
  }

  /**
   * Sorts a send failure. A reply code decides when there is one (5xx permanent, 4xx transient).
   * Without one, what matters is whether the content went out: before, nothing can have been
   * delivered; after, the server may have accepted the email and only its reply got lost, so it is
   * ambiguous.
   */
  static SmtpFailure classify(MessagingException e, boolean contentWritten) {
    int code = 0;
    String enhanced = null;
    boolean addressProblem = false;
    Throwable t = e;
    for (int depth = 0; t != null && depth < 16; depth++) {
      int found = replyCode(t);
      if (found > code) {
        code = found;
        enhanced = enhancedCode(t.getMessage());
      }
      addressProblem |= t instanceof AddressException;
      Throwable next = t instanceof MessagingException m ? m.getNextException() : null;
      t = next != null ? next : t.getCause();
    }
    String reply = "reply " + code + (enhanced == null ? "" : " " + enhanced);
    if (code >= 500) {
      return new SmtpFailure(SmtpFailure.Kind.PERMANENT, "the server rejected it: " + reply);
    }
    if (code >= 400) {
      return new SmtpFailure(SmtpFailure.Kind.TRANSIENT, "the server deferred it: " + reply);
    }
    if (contentWritten) {
      return new SmtpFailure(
          SmtpFailure.Kind.AMBIGUOUS, "no reply after the content was sent: " + kindOf(e));
    }
    if (addressProblem) {
      return new SmtpFailure(SmtpFailure.Kind.INVALID_ADDRESS, "an address is not valid");
    }
    return new SmtpFailure(SmtpFailure.Kind.TRANSIENT, "the server is unreachable: " + kindOf(e));
  }

  /** The SMTP reply code Angus Mail attaches to its send exceptions, or 0. */
  private static int replyCode(Throwable t) {
    if (t instanceof SMTPSendFailedException e) {
      return e.getReturnCode();
    }
    if (t instanceof SMTPAddressFailedException e) {
      return e.getReturnCode();
    }
    if (t instanceof SMTPSenderFailedException e) {
      return e.getReturnCode();
    }
    return 0;
  }

  private static String enhancedCode(String reply) {
    if (reply == null) {
      return null;
    }
    Matcher m = ENHANCED_CODE.matcher(reply.trim());
    return m.find() ? m.group(1) : null;
  }

  /**
   * The exception types down the chain (e.g. "MessagingException/ConnectException"), no messages.
   */
  static String kindOf(Throwable e) {
    StringBuilder out = new StringBuilder();
    Throwable t = e;
    for (int depth = 0; t != null && depth < 4; depth++) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(t.getClass().getSimpleName());
      Throwable next = t instanceof MessagingException m ? m.getNextException() : null;
      t = next != null ? next : t.getCause();
    }
    return out.toString();
  }

  private static void closeQuietly(Transport transport) {
    if (transport == null) {
      return;
    }
    try {
      transport.close();
    } catch (MessagingException ignored) {
      // The outcome was decided before QUIT; a failing QUIT changes nothing about it.
    }
  }

  /**
   * A message whose Message-ID is the claimed one (Jakarta Mail would otherwise mint a random one
   * in {@code saveChanges}), and which notes when its content has been written to the server.
   */
  static final class TrackedMessage extends MimeMessage {

    private final String messageId;
    private volatile boolean contentWritten;

    TrackedMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList)
        throws IOException, MessagingException {
      super.writeTo(os, ignoreList);
      contentWritten = true;
    }

    boolean contentWritten() {
      return contentWritten;
    }
  }
}
