package dev.outbound.activities.send;

import dev.outbound.activities.JakartaMail;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.util.Date;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Sends one email over SMTP with Jakarta Mail, with the Message-ID the ledger claimed, and sorts
 * every failure into what it means for the claim ({@link SmtpFailure.Kind}). {@link
 * SmtpFailures#classify} is the one place that decides whether a failure is the recipient's, the
 * sending mailbox's, or passing.
 *
 * <p>Connections are reused per mailbox ({@link SmtpConnectionPool}, limits in {@link
 * MailProperties}): a new connection costs a connect, EHLO, often TLS and AUTH before the first
 * command of the email, about six round trips that a reused one skips (measured here: ~23 msg/s
 * with a new connection per email against ~2,200 msg/s on a reused one). One connection carries one
 * email at a time.
 *
 * <p>The whole exchange (connect, TLS, authentication, envelope, content, final reply) is bounded
 * by {@link MailProperties#sendDeadline()}: when it passes, the connection's socket is closed from
 * a timer thread, which ends any blocked read or write at once (see {@link MailProperties} for why
 * the per-operation timeouts alone do not bound it).
 */
@Component
public class SmtpMailer implements AutoCloseable {

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
      throw new SmtpFailure(
          SmtpFailure.Kind.TRANSIENT, "cannot build the message: " + SmtpFailures.kindOf(e));
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
      throw SmtpFailures.classify(failure, message.contentWritten(), deadline.passed());
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
      int code = Math.max(SmtpFailures.replyCode(t), SmtpFailures.leadingCode(t.getMessage()));
      if (code == 421) {
        closing = true;
      } else if (code != 0
          || t instanceof AuthenticationFailedException
          || t instanceof AddressException) {
        return false;
      }
      // An IOException, or Jakarta Mail's reply code -1: the server ended the connection without
      // a reply ("[EOF]", after a clean close it sent while the connection waited).
      noConnection |= t instanceof IOException || SmtpFailures.replyCode(t) == -1;
      Throwable next = t instanceof MessagingException m ? m.getNextException() : null;
      t = next != null ? next : t.getCause();
    }
    return closing || noConnection;
  }

  private Properties sessionProperties(SmtpAccount account, TrackedSockets sockets) {
    Properties p = new Properties();
    // Every socket of this connection comes from here, so a send's deadline can close it. With TLS
    // on connect (465) and with STARTTLS, Jakarta Mail layers TLS over this socket; closing it
    // ends both.
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
      // show the follow-up in the thread of the first email.
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
}
