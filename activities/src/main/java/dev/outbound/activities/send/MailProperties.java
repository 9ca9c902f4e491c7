package dev.outbound.activities.send;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the send activity talks to SMTP servers. Mailbox hosts and credentials are data (the
 * mailboxes table), not settings; these are the limits that keep one slow server from holding a
 * send activity past its start-to-close timeout (five minutes, set by the lead sequence workflow).
 *
 * <p>The per-operation timeouts alone do not bound a send. One email takes a connect and about a
 * dozen replies (greeting, EHLO, STARTTLS and the TLS handshake, EHLO again, up to three for AUTH,
 * MAIL FROM, RCPT TO, DATA, the final reply, QUIT), each allowed {@code readTimeout}, plus the
 * content's writes, each allowed {@code writeTimeout}: with the defaults that is 10 s + ~13 × 30 s,
 * over six minutes, and a server that trickles its replies a byte at a time restarts the read
 * timeout with every byte. So {@code sendDeadline} bounds the whole exchange: when it passes, the
 * mailer closes the connection, and the failure counts as a timeout (transient before the content
 * went out, ambiguous after). Keep {@code sendDeadline} well below the activity's start-to-close
 * timeout (the default 3 minutes leaves 2 for the database work around the send): an attempt that
 * Temporal gave up on while it still talked to SMTP would overlap with its retry.
 *
 * @param connectTimeout how long to wait for a TCP connection
 * @param readTimeout how long to wait for each server reply
 * @param writeTimeout how long a write to the server may block
 *     <p>Connections are reused per mailbox (see {@link SmtpMailer}): after an email went out, its
 *     authenticated connection waits up to {@code poolIdleTimeout} for the mailbox's next email,
 *     which then costs three commands and the content instead of a connect, EHLO, TLS and AUTH. At
 *     most {@code poolMaxIdlePerMailbox} connections wait per mailbox and {@code poolMaxIdle} in
 *     all; more are closed after their email. Keep the idle timeout short: servers close idle
 *     connections themselves (commonly after 30 s to 5 min), and a connection the server closed
 *     costs the next email a reconnect.
 * @param sendDeadline how long one email's whole SMTP exchange may take, from connecting to the
 *     final reply
 * @param poolIdleTimeout how long a connection may wait unused for its mailbox's next email
 * @param poolMaxIdlePerMailbox how many unused connections one mailbox may keep; 0 turns reuse off
 *     (a new connection per email)
 * @param poolMaxIdle how many unused connections all mailboxes together may keep
 * @param poolMaxPerMailbox how many emails one mailbox sends at the same moment, each on its own
 *     connection: a send beyond it waits for one of them to finish (and then takes its connection)
 *     instead of opening another. Providers throttle or refuse accounts that open many connections
 *     at once, and a burst of due steps (a campaign's launch, the morning's window opening) would
 *     otherwise open one per email and keep only {@code poolMaxIdlePerMailbox} of them
 * @param poolWait how long a send waits for one of its mailbox's connections to be free; when it
 *     passes, nothing was sent and the send is retried later. Keep {@code poolWait} plus {@code
 *     sendDeadline} well below the activity's five-minute start-to-close timeout
 */
@Validated
@ConfigurationProperties("outbound.mail")
public record MailProperties(
    @NotNull @DefaultValue("10s") Duration connectTimeout,
    @NotNull @DefaultValue("30s") Duration readTimeout,
    @NotNull @DefaultValue("30s") Duration writeTimeout,
    @NotNull @DefaultValue("3m") Duration sendDeadline,
    @NotNull @DefaultValue("30s") Duration poolIdleTimeout,
    @DefaultValue("2") int poolMaxIdlePerMailbox,
    @DefaultValue("200") int poolMaxIdle,
    @DefaultValue("2") int poolMaxPerMailbox,
    @NotNull @DefaultValue("30s") Duration poolWait) {

  private static final Duration DEFAULT_POOL_IDLE_TIMEOUT = Duration.ofSeconds(30);
  private static final int DEFAULT_POOL_MAX_IDLE_PER_MAILBOX = 2;
  private static final int DEFAULT_POOL_MAX_IDLE = 200;
  private static final int DEFAULT_POOL_MAX_PER_MAILBOX = 2;
  private static final Duration DEFAULT_POOL_WAIT = Duration.ofSeconds(30);

  @ConstructorBinding
  public MailProperties {
    requirePositive(connectTimeout, "outbound.mail.connect-timeout");
    requirePositive(readTimeout, "outbound.mail.read-timeout");
    requirePositive(writeTimeout, "outbound.mail.write-timeout");
    requirePositive(sendDeadline, "outbound.mail.send-deadline");
    requirePositive(poolIdleTimeout, "outbound.mail.pool-idle-timeout");
    if (poolMaxIdlePerMailbox < 0) {
      throw new IllegalArgumentException(
          "outbound.mail.pool-max-idle-per-mailbox must be 0 or more, was "
              + poolMaxIdlePerMailbox);
    }
    if (poolMaxPerMailbox < 1) {
      throw new IllegalArgumentException(
          "outbound.mail.pool-max-per-mailbox must be 1 or more, was " + poolMaxPerMailbox);
    }
    requirePositive(poolWait, "outbound.mail.pool-wait");
    if (poolMaxIdle < 0) {
      throw new IllegalArgumentException(
          "outbound.mail.pool-max-idle must be 0 or more, was " + poolMaxIdle);
    }
  }

  /** The given timeouts with the default connection reuse. */
  public MailProperties(
      Duration connectTimeout, Duration readTimeout, Duration writeTimeout, Duration sendDeadline) {
    this(
        connectTimeout,
        readTimeout,
        writeTimeout,
        sendDeadline,
        DEFAULT_POOL_IDLE_TIMEOUT,
        DEFAULT_POOL_MAX_IDLE_PER_MAILBOX,
        DEFAULT_POOL_MAX_IDLE,
        DEFAULT_POOL_MAX_PER_MAILBOX,
        DEFAULT_POOL_WAIT);
  }

  /** These settings with other connection reuse limits. */
  public MailProperties withPool(Duration idleTimeout, int maxIdlePerMailbox, int maxIdle) {
    return new MailProperties(
        connectTimeout,
        readTimeout,
        writeTimeout,
        sendDeadline,
        idleTimeout,
        maxIdlePerMailbox,
        maxIdle,
        poolMaxPerMailbox,
        poolWait);
  }

  /** These settings with another limit on one mailbox's simultaneous sends and wait for them. */
  public MailProperties withConcurrency(int maxPerMailbox, Duration wait) {
    return new MailProperties(
        connectTimeout,
        readTimeout,
        writeTimeout,
        sendDeadline,
        poolIdleTimeout,
        poolMaxIdlePerMailbox,
        poolMaxIdle,
        maxPerMailbox,
        wait);
  }

  /** The defaults, for code that runs without Spring (e.g. a benchmark). */
  public static MailProperties defaults() {
    return new MailProperties(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        Duration.ofMinutes(3));
  }

  private static void requirePositive(Duration value, String name) {
    // Jakarta Mail reads 0 as "wait forever", which would let a dead server hang an activity.
    if (value != null && (value.isZero() || value.isNegative())) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
