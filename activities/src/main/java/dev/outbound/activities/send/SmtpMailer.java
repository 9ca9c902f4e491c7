package dev.outbound.activities.send;

import dev.outbound.activities.JakartaMail;
import dev.outbound.activities.alerts.MailboxPauseReason;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeBodyPart;
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
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.SocketFactory;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Sends one email over SMTP with Jakarta Mail, with the Message-ID the ledger claimed, and sorts
 * every failure into what it means for the claim ({@link SmtpFailure.Kind}). {@link #classify} is
 * the one place that decides whether a failure is the recipient's, the sending mailbox's, or
 * passing.
 *
 * <p>Connections are reused per mailbox ({@link SmtpConnectionPool}, limits in {@link
 * MailProperties}): a new connection costs a connect, EHLO, often TLS and AUTH before the first
 * command of the email, about six round trips that a reused one skips (DESIGN.md section 5a
 * measured ~23 msg/s with a new connection per email against ~2,200 msg/s on a reused one). One
 * connection carries one email at a time.
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
  private final ScheduledExecutorService sweeper;
  private final SmtpConnectionPool pool;

  static {
    JakartaMail.configure();
  }

  /** For building messages only; each connection has its own session (its sockets, timeouts). */
  private final Session buildSession = Session.getInstance(new Properties());

  @Autowired
  public SmtpMailer(MailProperties properties) {
    this(properties, System::nanoTime);
  }

  /** With the clock that ages idle connections, so tests can expire them without waiting. */
  SmtpMailer(MailProperties properties, LongSupplier nanoClock) {
    this.properties = properties;
    this.deadlines = daemonTimer("smtp-send-deadline");
    this.pool =
        new SmtpConnectionPool(
            properties.poolIdleTimeout(),
            properties.poolMaxIdlePerMailbox(),
            properties.poolMaxIdle(),
            properties.poolMaxPerMailbox(),
            nanoClock);
    // Its own thread: closing idle connections sends QUIT and waits (briefly) for the reply, which
    // must never delay a send's deadline on the other timer.
    this.sweeper = daemonTimer("smtp-pool-sweeper");
    long period = Math.max(1_000, properties.poolIdleTimeout().toMillis() / 2);
    sweeper.scheduleWithFixedDelay(this::closeIdleSafely, period, period, TimeUnit.MILLISECONDS);
  }

  private static ScheduledExecutorService daemonTimer(String name) {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /**
   * Sends {@code email} from {@code account}; {@code gate} is asked once, right before the content
   * goes out.
   *
   * <p>On the mailbox's idle connection when there is one. A reused connection that fails before
   * the gate was asked (the server closed it while it waited: no reply, a broken pipe, or 421) is
   * replaced once by a new connection, transparently: nothing of this email reached the server. Any
   * other failure is sorted as on a new connection, and after any failure the connection is closed,
   * never reused.
   *
   * <p>At most {@code outbound.mail.pool-max-per-mailbox} emails of one mailbox are sent at once;
   * another waits (up to {@code pool-wait}, first come first served) for one of them to finish and
   * then usually takes its connection.
   *
   * @throws SmtpFailure when the server did not accept it, sorted by what it means
   */
  public void send(SmtpAccount account, OutgoingEmail email, ContentGate gate) throws SmtpFailure {
    TrackedMessage message;
    try {
      message = build(buildSession, email, gate);
    } catch (MessagingException e) {
      // Building touches no server; a failure here is ours, and nothing was sent.
      throw new SmtpFailure(SmtpFailure.Kind.TRANSIENT, "cannot build the message: " + kindOf(e));
    }
    SmtpConnectionPool.Key key = SmtpConnectionPool.Key.of(account);
    acquirePermit(account);
    try {
      send(account, key, message);
    } finally {
      pool.release(account.mailboxId());
    }
  }

  /**
   * Waits for one of the mailbox's connections to be free ({@code
   * outbound.mail.pool-max-per-mailbox} emails at once).
   *
   * @throws SmtpFailure (transient: nothing was sent) when none came free in {@code pool-wait}
   */
  private void acquirePermit(SmtpAccount account) throws SmtpFailure {
    boolean acquired;
    try {
      acquired = pool.acquire(account.mailboxId(), properties.poolWait());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SmtpFailure(
          SmtpFailure.Kind.TRANSIENT, "not sent: interrupted while waiting for a connection");
    }
    if (!acquired) {
      throw new SmtpFailure(
          SmtpFailure.Kind.TRANSIENT,
          "not sent: all "
              + properties.poolMaxPerMailbox()
              + " connections of mailbox "
              + account.mailboxId()
              + " stayed busy for "
              + properties.poolWait().toSeconds()
              + " s");
    }
  }

  /** The send itself, holding one of the mailbox's permits. */
  private void send(SmtpAccount account, SmtpConnectionPool.Key key, TrackedMessage message)
      throws SmtpFailure {
    SendDeadline deadline = new SendDeadline();
    ScheduledFuture<?> timer =
        deadlines.schedule(deadline, properties.sendDeadline().toMillis(), TimeUnit.MILLISECONDS);
    SmtpConnectionPool.Connection connection = null;
    try {
      connection = pool.take(key);
      boolean reused = connection != null;
      if (connection == null) {
        connection = open(key, account, deadline);
      } else {
        deadline.watch(connection.sockets);
      }
      try {
        connection.transport.sendMessage(message, message.getAllRecipients());
      } catch (MessagingException | IllegalStateException e) {
        if (!reused || !closedWhileIdle(e, message, deadline)) {
          throw e;
        }
        // The server ended the idle connection before this email's content: nothing of it was
        // delivered, so it goes out once more on a new connection (which is not retried again).
        connection.cut();
        connection = null;
        connection = open(key, account, deadline);
        connection.transport.sendMessage(message, message.getAllRecipients());
      }
      if (!deadline.passed()) {
        // Accepted, and the connection is fit for the mailbox's next email.
        pool.giveBack(connection);
        connection = null;
      }
    } catch (MessagingException | IllegalStateException e) {
      if (message.veto() != null) {
        // The gate stopped it before the first byte of content: nothing can have been delivered.
        // The server still waits for content, so the connection is cut, not QUIT (which it would
        // read as a line of content).
        if (connection != null) {
          connection.cut();
        }
        throw new SmtpFailure(
            SmtpFailure.Kind.TRANSIENT, "not sent, the content was held back: " + message.veto());
      }
      MessagingException failure =
          e instanceof MessagingException m
              ? m
              : new MessagingException("the connection was not usable", e);
      throw classify(failure, message.contentWritten(), deadline.passed());
    } finally {
      if (connection != null) {
        // A failed send's connection is never reused: its state at the server is unknown.
        connection.discard();
      }
      timer.cancel(false);
    }
  }

  /** Closes the idle connections that waited longer than the idle timeout. */
  void closeIdle() {
    pool.closeExpired();
  }

  /** How many connections wait for their mailbox's next email. */
  int idleConnections() {
    return pool.idleCount();
  }

  /** Closes every idle connection and stops the timers; called when the application stops. */
  @Override
  public void close() {
    sweeper.shutdownNow();
    pool.close();
    deadlines.shutdownNow();
  }

  private void closeIdleSafely() {
    try {
      pool.closeExpired();
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; the next sweep must still happen.
    }
  }

  /** Connects and authenticates a new connection for {@code account}, under the send's deadline. */
  private SmtpConnectionPool.Connection open(
      SmtpConnectionPool.Key key, SmtpAccount account, SendDeadline deadline)
      throws MessagingException {
    TrackedSockets sockets = new TrackedSockets();
    deadline.watch(sockets);
    Session session = Session.getInstance(sessionProperties(account, sockets));
    Transport transport = session.getTransport("smtp");
    try {
      transport.connect(account.host(), account.port(), account.username(), account.password());
    } catch (MessagingException | RuntimeException e) {
      sockets.closeAll();
      throw e;
    }
    return new SmtpConnectionPool.Connection(key, transport, sockets);
  }

  /**
   * Whether a reused connection failed because the server had ended it while it waited: before the
   * gate was asked (so none of the content went out and the claim was not marked), within the
   * deadline, and with no reply at all (the connection was closed or reset) or 421 (the server is
   * closing the channel). Any other reply is the server's answer to this email and counts as such.
   */
  static boolean closedWhileIdle(Exception e, TrackedMessage message, SendDeadline deadline) {
    if (message.gateAsked() || deadline.passed()) {
      return false;
    }
    if (e instanceof IllegalStateException) {
      // Jakarta Mail's "not connected": the transport noticed the closed connection itself.
      return true;
    }
    boolean noConnection = false;
    boolean closing = false;
    Throwable t = e;
    for (int depth = 0; t != null && depth < 16; depth++) {
      int code = Math.max(replyCode(t), leadingCode(t.getMessage()));
      if (code == 421) {
        closing = true;
      } else if (code != 0
          || t instanceof AuthenticationFailedException
          || t instanceof AddressException) {
        return false;
      }
      // An IOException, or Jakarta Mail's reply code -1: the server ended the connection without
      // a reply ("[EOF]", after a clean close it sent while the connection waited).
      noConnection |= t instanceof IOException || replyCode(t) == -1;
      Throwable next = t instanceof MessagingException m ? m.getNextException() : null;
      t = next != null ? next : t.getCause();
    }
    return closing || noConnection;
  }

  private Properties sessionProperties(SmtpAccount account, TrackedSockets sockets) {
    Properties p = new Properties();
    // Every socket of this connection comes from here, so a send's deadline can close it. With TLS
    // on connect
    // (465) and with STARTTLS, Jakarta Mail layers TLS over this socket; closing it ends both.
    p.put("mail.smtp.socketFactory", sockets);
    p.setProperty("mail.smtp.socketFactory.fallback", "false");
    p.setProperty("mail.smtp.host", account.host());
    p.setProperty("mail.smtp.port", Integer.toString(account.port()));
    p.setProperty("mail.smtp.connectiontimeout", millis(properties.connectTimeout()));
    p.setProperty("mail.smtp.timeout", millis(properties.readTimeout()));
    p.setProperty("mail.smtp.writetimeout", millis(properties.writeTimeout()));
    // Jakarta Mail would otherwise start a timer thread per connection for the write timeout,
    // which an idle pooled connection would keep; its tasks only close a socket, like ours.
    p.put("mail.smtp.executor.writetimeout", deadlines);
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
    // The envelope sender is the mailbox, so bounces come back to the inbox we watch. Set on the
    // message, not the connection's session: one connection carries many emails.
    message.setEnvelopeFrom(email.from().getAddress());
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

  /**
   * A message whose Message-ID is the claimed one (Jakarta Mail would otherwise mint a random one
   * in {@code saveChanges}), which asks its {@link ContentGate} before its content is written to
   * the server, and which notes when its content has been written.
   */
  static final class TrackedMessage extends SMTPMessage {

    private final String messageId;
    private final ContentGate gate;
    private volatile boolean gateAsked;
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

    /** Whether the gate was asked, i.e. the server had said 354 and the content was next. */
    boolean gateAsked() {
      return gateAsked;
    }
  }

  /**
   * The deadline of one send, run by the timer when it passes: it closes the sockets of the
   * connection the send is using then (a reused one, or the new one after a reconnect), which ends
   * any blocked read or write at once; a connection the send picks up after it passed is closed as
   * it is watched.
   */
  static final class SendDeadline implements Runnable {

    private TrackedSockets current;
    private boolean passed;

    synchronized void watch(TrackedSockets sockets) {
      current = sockets;
      if (passed) {
        sockets.closeAll();
      }
    }

    @Override
    public void run() {
      TrackedSockets sockets;
      synchronized (this) {
        passed = true;
        sockets = current;
      }
      if (sockets != null) {
        sockets.closeAll();
      }
    }

    synchronized boolean passed() {
      return passed;
    }
  }

  /**
   * Creates the plain sockets of one connection (Jakarta Mail layers TLS over them itself) and
   * closes them all on demand, from any thread; a socket created after {@link #closeAll} is closed
   * at once.
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

    /**
     * Whether the connection may still be usable, judged without a round trip: not closed by us,
     * and nothing unasked-for waiting to be read. A server that ends an idle connection often says
     * so first (421), and a TLS peer sends close_notify; both leave bytes here. A connection the
     * server closed silently passes this check and fails on its next command instead, which the
     * mailer handles (see {@link SmtpMailer#closedWhileIdle}). NOOP would catch that one too, but
     * costs a round trip on every email.
     */
    boolean looksOpen() {
      if (closed || sockets.isEmpty()) {
        return false;
      }
      try {
        for (Socket socket : sockets) {
          if (socket.isClosed() || socket.getInputStream().available() > 0) {
            return false;
          }
        }
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    /**
     * Makes every blocking read give up after {@code millis}. Reads go to these plain sockets even
     * with TLS layered over them, so this bounds the wait for the reply to QUIT.
     */
    void shortenReads(int millis) {
      for (Socket socket : sockets) {
        try {
          socket.setSoTimeout(millis);
        } catch (SocketException ignored) {
          // Already closed: nothing left to wait for.
        }
      }
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
