package dev.outbound.activities.send;

import dev.outbound.activities.alerts.MailboxPauseReason;
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
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.stereotype.Component;

/**
 * Sends one email over SMTP with Jakarta Mail, with the Message-ID the ledger claimed, and sorts
 * every failure into what it means for the claim ({@link SmtpFailure.Kind}). {@link #classify} is
 * the one place that decides whether a failure is the recipient's, the sending mailbox's, or
 * passing.
 *
 * <p>One connection per email for now. DESIGN.md section 5a measured ~23 msg/s that way against
 * ~2,200 msg/s on a reused connection; mailbox caps keep real rates far below the former.
 *
 * <p>The whole exchange (connect, TLS, authentication, envelope, content, final reply) is bounded
 * by {@link MailProperties#sendDeadline()}: when it passes, the connection's socket is closed from
 * a timer thread, which ends any blocked read or write at once (see {@link MailProperties} for why
 * the per-operation timeouts alone do not bound it).
 */
@Component
public class SmtpMailer implements AutoCloseable {

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

  /**
   * Called right before the email's content is handed to the server (after its 354 to DATA). It
   * returns false, or throws, when the content must not go out (the claim is no longer this
   * attempt's, or that could not be recorded): the send is then aborted before the first byte of
   * content, and the server, which never sees the terminating ".", discards the transaction.
   */
  @FunctionalInterface
  public interface ContentGate {
    boolean open();
  }

  private final MailProperties properties;
  private final ScheduledExecutorService deadlines;

  public SmtpMailer(MailProperties properties) {
    this.properties = properties;
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "smtp-send-deadline");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    this.deadlines = timer;
  }

  /**
   * Sends {@code email} from {@code account}; {@code gate} is asked once, right before the content
   * goes out.
   *
   * @throws SmtpFailure when the server did not accept it, sorted by what it means
   */
  public void send(SmtpAccount account, OutgoingEmail email, ContentGate gate) throws SmtpFailure {
    TrackedSockets sockets = new TrackedSockets();
    Session session = Session.getInstance(sessionProperties(account, email, sockets));
    TrackedMessage message;
    try {
      message = build(session, email, gate);
    } catch (MessagingException e) {
      // Building touches no server; a failure here is ours, and nothing was sent.
      throw new SmtpFailure(SmtpFailure.Kind.TRANSIENT, "cannot build the message: " + kindOf(e));
    }
    AtomicBoolean deadlinePassed = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              deadlinePassed.set(true);
              sockets.closeAll();
            },
            properties.sendDeadline().toMillis(),
            TimeUnit.MILLISECONDS);
    Transport transport = null;
    try {
      transport = session.getTransport("smtp");
      transport.connect(account.host(), account.port(), account.username(), account.password());
      transport.sendMessage(message, message.getAllRecipients());
    } catch (MessagingException e) {
      if (message.veto() != null) {
        // The gate stopped it before the first byte of content: nothing can have been delivered.
        sockets.closeAll();
        throw new SmtpFailure(
            SmtpFailure.Kind.TRANSIENT, "not sent, the content was held back: " + message.veto());
      }
      throw classify(e, message.contentWritten(), deadlinePassed.get());
    } finally {
      closeQuietly(transport);
      deadline.cancel(false);
      sockets.closeAll();
    }
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
  }

  private Properties sessionProperties(
      SmtpAccount account, OutgoingEmail email, TrackedSockets sockets) {
    Properties p = new Properties();
    // Every socket of this send comes from here, so the deadline can close it. With TLS on connect
    // (465) and with STARTTLS, Jakarta Mail layers TLS over this socket; closing it ends both.
    p.put("mail.smtp.socketFactory", sockets);
    p.setProperty("mail.smtp.socketFactory.fallback", "false");
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

  private static TrackedMessage build(Session session, OutgoingEmail email, ContentGate gate)
      throws MessagingException {
    TrackedMessage message = new TrackedMessage(session, email.messageId(), gate);
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
    if (email.listUnsubscribe() != null) {
      // One-click unsubscribe (RFC 8058): mailbox providers show an unsubscribe button and POST
      // to the link. OutgoingEmail has checked both values for line breaks.
      message.setHeader("List-Unsubscribe", email.listUnsubscribe());
      if (email.listUnsubscribePost() != null) {
        message.setHeader("List-Unsubscribe-Post", email.listUnsubscribePost());
      }
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

  /** The reply code at the start of a server reply (e.g. an authentication failure's), or 0. */
  private static int leadingCode(String reply) {
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
   * in {@code saveChanges}), which asks its {@link ContentGate} before its content is written to
   * the server, and which notes when its content has been written.
   */
  static final class TrackedMessage extends MimeMessage {

    private final String messageId;
    private final ContentGate gate;
    private boolean gateAsked;
    private volatile String veto;
    private volatile boolean contentWritten;

    TrackedMessage(Session session, String messageId, ContentGate gate) {
      super(session);
      this.messageId = messageId;
      this.gate = gate;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }

    @Override
    public void writeTo(OutputStream os, String[] ignoreList)
        throws IOException, MessagingException {
      if (!gateAsked) {
        gateAsked = true;
        boolean open;
        try {
          open = gate.open();
        } catch (RuntimeException e) {
          veto = "the claim could not be confirmed (" + e.getClass().getSimpleName() + ")";
          throw new IOException(veto);
        }
        if (!open) {
          veto = "the claim is no longer this attempt's";
          throw new IOException(veto);
        }
      }
      super.writeTo(os, ignoreList);
      contentWritten = true;
    }

    /** Why the gate held the content back, or null. */
    String veto() {
      return veto;
    }

    boolean contentWritten() {
      return contentWritten;
    }
  }

  /**
   * Creates the plain sockets of one send (Jakarta Mail layers TLS over them itself) and closes
   * them all on demand, from any thread; a socket created after {@link #closeAll} is closed at
   * once.
   */
  static final class TrackedSockets extends SocketFactory {

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    @Override
    public Socket createSocket() throws IOException {
      return track(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return track(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return track(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return track(new Socket(host, port));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return track(new Socket(address, port, localAddress, localPort));
    }

    private Socket track(Socket socket) throws IOException {
      sockets.add(socket);
      if (closed) {
        socket.close();
        throw new SocketException("the send deadline passed");
      }
      return socket;
    }

    void closeAll() {
      closed = true;
      for (Socket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Closing is all this wants; a socket that fails to close is closed enough.
        }
      }
    }
  }
}
