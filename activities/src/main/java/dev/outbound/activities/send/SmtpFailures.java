package dev.outbound.activities.send;

import dev.outbound.activities.alerts.MailboxPauseReason;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Sorts what Jakarta Mail throws into an {@link SmtpFailure}: whose problem a failed send is (the
 * recipient's, the sending mailbox's, or nobody's yet) is decided here and nowhere else, so that
 * the mailer only sends and the send activity only acts on the kind. It reads reply codes and
 * exception types, never the server's reply text beyond its codes and quota words, because that
 * text may quote the recipient.
 */
final class SmtpFailures {

  /** A reply code and an enhanced status code (RFC 3463) at the start of a reply. */
  private static final Pattern REPLY =
      Pattern.compile("^(\\d{3})(?:[ -]([245]\\.\\d{1,3}\\.\\d{1,3}))?");

  /**
   * Words of a provider's sending-quota or rate-limit reply (e.g. "550 5.4.5 Daily user sending
   * quota exceeded") for servers that do not say 5.4.5. Only used on replies that are not about the
   * recipient's address or mailbox (enhanced class 1 or 2), so "mailbox over quota" stays the
   * recipient's.
   */
  private static final Pattern QUOTA =
      Pattern.compile(
          "(?i)(sending quota|quota exceeded|rate[ -]?limit|sending limit|daily limit"
              + "|limit exceeded)");

  /**
   * Replies about authentication: required (530), too weak (534), refused (535), TLS needed (538).
   */
  private static final Set<Integer> AUTHENTICATION_CODES = Set.of(530, 534, 535, 538);

  private SmtpFailures() {}

  /**
   * Sorts a send failure; the one place that decides whose problem it is.
   *
   * <ul>
   *   <li>The sending mailbox's ({@link SmtpFailure.Kind#MAILBOX}, nothing sent, the lead is held):
   *       credentials refused; any 5xx to MAIL FROM (the sender, its domain or its policy);
   *       530/534/535/538 at any stage (authentication required, too weak, refused, needs TLS); a
   *       sending quota or rate limit (enhanced code 5.4.5, or quota words in a 5xx that is not
   *       about the recipient's address or mailbox).
   *   <li>The recipient's ({@link SmtpFailure.Kind#PERMANENT}): any other 5xx, i.e. to RCPT TO or
   *       DATA for this email.
   *   <li>Passing ({@link SmtpFailure.Kind#TRANSIENT}): 4xx replies (quota deferrals included:
   *       retries with backoff wait them out).
   *   <li>No reply: what matters is whether the content went out. Before, nothing can have been
   *       delivered (transient); after, the server may have accepted the email and only its reply
   *       got lost, so it is {@link SmtpFailure.Kind#AMBIGUOUS}. The send deadline counts as such a
   *       timeout.
   * </ul>
   *
   * The description holds codes and exception types only, never the server's reply text.
   */
  static SmtpFailure classify(MessagingException e, boolean contentWritten, boolean deadline) {
    int code = 0;
    String enhanced = null;
    String text = null;
    boolean authentication = false;
    boolean sender = false;
    boolean addressProblem = false;
    Throwable t = e;
    for (int depth = 0; t != null && depth < 16; depth++) {
      int found = replyCode(t);
      if (t instanceof AuthenticationFailedException) {
        authentication = true;
        found = Math.max(found, leadingCode(t.getMessage()));
      }
      if (found > code) {
        code = found;
        enhanced = enhancedCode(t.getMessage());
        text = t.getMessage();
      }
      sender |= t instanceof SMTPSenderFailedException;
      addressProblem |= t instanceof AddressException;
      Throwable next = t instanceof MessagingException m ? m.getNextException() : null;
      t = next != null ? next : t.getCause();
    }
    String reply =
        code == 0 ? "no reply code" : "reply " + code + (enhanced == null ? "" : " " + enhanced);
    if (authentication) {
      return mailbox(
          "SMTP authentication refused (" + reply + ")", MailboxPauseReason.AUTHENTICATION_FAILURE);
    }
    if (code >= 500) {
      if (sender) {
        return mailbox(
            "the server rejected the sender, MAIL FROM (" + reply + ")",
            MailboxPauseReason.SENDING_REFUSED);
      }
      if (AUTHENTICATION_CODES.contains(code)) {
        return mailbox(
            "the server requires authentication or refused it (" + reply + ")",
            MailboxPauseReason.AUTHENTICATION_FAILURE);
      }
      if ("5.4.5".equals(enhanced) || isQuotaReply(enhanced, text)) {
        // A quota resets by itself: the lead is held, the mailbox is not paused.
        return mailbox(
            "the mailbox's sending quota or rate limit is reached (" + reply + ")", null);
      }
      return new SmtpFailure(SmtpFailure.Kind.PERMANENT, "the server rejected it: " + reply);
    }
    if (code >= 400) {
      return new SmtpFailure(SmtpFailure.Kind.TRANSIENT, "the server deferred it: " + reply);
    }
    String silence = deadline ? "the send deadline passed" : "no reply";
    if (contentWritten) {
      return new SmtpFailure(
          SmtpFailure.Kind.AMBIGUOUS, silence + " after the content was sent: " + kindOf(e));
    }
    if (deadline) {
      return new SmtpFailure(
          SmtpFailure.Kind.TRANSIENT, silence + " before the content was sent: " + kindOf(e));
    }
    if (addressProblem) {
      return new SmtpFailure(SmtpFailure.Kind.INVALID_ADDRESS, "an address is not valid");
    }
    return new SmtpFailure(SmtpFailure.Kind.TRANSIENT, "the server is unreachable: " + kindOf(e));
  }

  private static SmtpFailure mailbox(String why, MailboxPauseReason pause) {
    return new SmtpFailure(SmtpFailure.Kind.MAILBOX, why, pause);
  }

  private static boolean isQuotaReply(String enhanced, String text) {
    boolean aboutRecipient =
        enhanced != null && (enhanced.startsWith("5.1.") || enhanced.startsWith("5.2."));
    return !aboutRecipient && text != null && QUOTA.matcher(text).find();
  }

  /** The SMTP reply code Angus Mail attaches to its send exceptions, or 0. */
  static int replyCode(Throwable t) {
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

  /** The reply code at the start of a server reply (e.g. an authentication failure's), or 0. */
  static int leadingCode(String reply) {
    if (reply == null) {
      return 0;
    }
    Matcher m = REPLY.matcher(reply.trim());
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static String enhancedCode(String reply) {
    if (reply == null) {
      return null;
    }
    Matcher m = REPLY.matcher(reply.trim());
    return m.find() ? m.group(2) : null;
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
}
