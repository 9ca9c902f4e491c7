package dev.outbound.activities.send;

import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The authenticated SMTP connections that wait, unused, for their mailbox's next email. A
 * connection is either here (idle) or with exactly one send: {@link #take} removes it, so no two
 * emails ever share a connection at once, and a send gives it back ({@link #giveBack}) only after
 * the server accepted its email. A send that failed never gives its connection back.
 *
 * <p>Connections are found by mailbox and by a fingerprint of where and as whom they connected
 * (host, port, user, password, TLS): a mailbox whose settings or password changed gets a new
 * connection, and its old ones are closed the next time it sends.
 *
 * <p>Bounded three ways: at most {@code maxIdlePerMailbox} per mailbox, at most {@code maxIdle} in
 * all, and none older than {@code idleTimeout} since its last email ({@link #closeExpired} closes
 * those; {@link #take} never hands one out).
 *
 * <p>A mailbox sends at most {@code maxPerMailbox} emails at once: a send holds one of its permits
 * ({@link #acquire}, {@link #release}) from before it takes or opens a connection until it gave the
 * connection back or closed it. So a burst of one mailbox's emails queues for its connections
 * instead of opening one per email (and closing all but {@code maxIdlePerMailbox} of them after).
 */
final class SmtpConnectionPool implements AutoCloseable {

  /**
   * How long closing an idle connection waits for the server's reply to QUIT. QUIT is a courtesy:
   * the email is long accepted, so a server that does not answer at once is simply cut off.
   */
  static final int QUIT_TIMEOUT_MILLIS = 2_000;

  /** Which connections may serve an email: the same mailbox, connected the same way. */
  record Key(long mailboxId, String fingerprint) {

    static Key of(SmtpAccount account) {
      MessageDigest sha;
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JVM has SHA-256", e);
      }
      // A digest, not the values: the key may show up in a debugger or a heap dump summary, and the
      // password must not. NUL separates the parts, which none of them can contain.
      String joined =
          account.host()
              + '\0'
              + account.port()
              + '\0'
              + account.username()
              + '\0'
              + account.password()
              + '\0'
              + account.tls();
      return new Key(
          account.mailboxId(),
          HexFormat.of().formatHex(sha.digest(joined.getBytes(StandardCharsets.UTF_8))));
    }
  }

  /** One connected, authenticated transport and the sockets under it. */
  static final class Connection {

    final Key key;
    final Transport transport;
    final TrackedSockets sockets;
    private long idleSince;

    Connection(Key key, Transport transport, TrackedSockets sockets) {
      this.key = key;
      this.transport = transport;
      this.sockets = sockets;
    }

    /**
     * Closes it after a failure or a deadline: QUIT is still tried (a server that rejected the
     * email deserves a clean end), bounded by the send's deadline, which closes the sockets.
     */
    void discard() {
      try {
        transport.close();
      } catch (MessagingException | RuntimeException ignored) {
        // The outcome was decided before QUIT; a failing QUIT changes nothing about it.
      }
      sockets.closeAll();
    }

    /**
     * Closes it without QUIT: for a connection the server already ended (QUIT could only wait for a
     * reply that never comes) or one in the middle of DATA (the server would read QUIT as content).
     */
    void cut() {
      sockets.closeAll();
      try {
        transport.close();
      } catch (MessagingException | RuntimeException ignored) {
        // The sockets are closed; this only lets Jakarta Mail drop its state.
      }
    }

    /** Closes an idle connection: QUIT with a short wait for its reply, then the sockets. */
    void quit() {
      sockets.shortenReads(QUIT_TIMEOUT_MILLIS);
      discard();
    }
  }

  private final Duration idleTimeout;
  private final int maxIdlePerMailbox;
  private final int maxIdle;
  private final LongSupplier nanoClock;
  private final int maxPerMailbox;

  /** Each mailbox's permits to send, created at its first email. */
  private final Map<Long, Semaphore> sending = new ConcurrentHashMap<>();

  /** Idle connections by mailbox, the most recently used last. Guarded by {@code this}. */
  private final Map<Long, Deque<Connection>> idle = new HashMap<>();

  private int idleCount;
  private boolean closed;

  SmtpConnectionPool(
      Duration idleTimeout,
      int maxIdlePerMailbox,
      int maxIdle,
      int maxPerMailbox,
      LongSupplier nanoClock) {
    this.maxPerMailbox = maxPerMailbox;
    this.idleTimeout = idleTimeout;
    this.maxIdlePerMailbox = maxIdlePerMailbox;
    this.maxIdle = maxIdle;
    this.nanoClock = nanoClock;
  }

  /**
   * Waits up to {@code wait} for a permit to send from {@code mailboxId}, first come first served;
   * false when none came free in time. Every true must be followed by one {@link #release}.
   */
  boolean acquire(long mailboxId, Duration wait) throws InterruptedException {
    return sending
        .computeIfAbsent(mailboxId, id -> new Semaphore(maxPerMailbox, true))
        .tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Gives back a permit {@link #acquire} granted. */
  void release(long mailboxId) {
    sending.get(mailboxId).release();
  }

  /**
   * An idle connection for {@code key} that still looks open, now the caller's alone; or null when
   * there is none. Connections of the same mailbox made with other settings, expired ones and ones
   * that look closed are closed on the way.
   */
  Connection take(Key key) {
    List<Connection> toClose = new ArrayList<>();
    Connection found = null;
    synchronized (this) {
      Deque<Connection> waiting = idle.get(key.mailboxId());
      if (waiting != null) {
        long now = nanoClock.getAsLong();
        for (Iterator<Connection> it = waiting.iterator(); it.hasNext(); ) {
          Connection c = it.next();
          if (!c.key.equals(key) || expired(c, now)) {
            it.remove();
            idleCount--;
            toClose.add(c);
          }
        }
        // The most recently used first: the likeliest to be still open at the server.
        while (found == null && !waiting.isEmpty()) {
          Connection c = waiting.pollLast();
          idleCount--;
          if (c.sockets.looksOpen()) {
            found = c;
          } else {
            toClose.add(c);
          }
        }
        if (waiting.isEmpty()) {
          idle.remove(key.mailboxId());
        }
      }
    }
    toClose.forEach(Connection::quit);
    return found;
  }

  /**
   * Keeps {@code connection}, whose email the server has just accepted, for its mailbox's next
   * email; closes it instead when the pool is full or closed, or when it looks closed.
   */
  void giveBack(Connection connection) {
    boolean kept = false;
    if (connection.sockets.looksOpen()) {
      synchronized (this) {
        Deque<Connection> waiting = idle.get(connection.key.mailboxId());
        int ofMailbox = waiting == null ? 0 : waiting.size();
        if (!closed && ofMailbox < maxIdlePerMailbox && idleCount < maxIdle) {
          connection.idleSince = nanoClock.getAsLong();
          idle.computeIfAbsent(connection.key.mailboxId(), k -> new ArrayDeque<>())
              .addLast(connection);
          idleCount++;
          kept = true;
        }
      }
    }
    if (!kept) {
      connection.quit();
    }
  }

  /** Closes the connections that waited longer than the idle timeout. */
  void closeExpired() {
    List<Connection> toClose = new ArrayList<>();
    synchronized (this) {
      long now = nanoClock.getAsLong();
      for (Iterator<Deque<Connection>> mailboxes = idle.values().iterator();
          mailboxes.hasNext(); ) {
        Deque<Connection> waiting = mailboxes.next();
        for (Iterator<Connection> it = waiting.iterator(); it.hasNext(); ) {
          Connection c = it.next();
          if (expired(c, now)) {
            it.remove();
            idleCount--;
            toClose.add(c);
          }
        }
        if (waiting.isEmpty()) {
          mailboxes.remove();
        }
      }
    }
    toClose.forEach(Connection::quit);
  }

  /** How many connections wait now. */
  synchronized int idleCount() {
    return idleCount;
  }

  /** Closes every idle connection; connections given back afterwards are closed at once. */
  @Override
  public void close() {
    List<Connection> toClose = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(toClose::addAll);
      idle.clear();
      idleCount = 0;
    }
    toClose.forEach(Connection::quit);
  }

  private boolean expired(Connection c, long now) {
    return now - c.idleSince >= idleTimeout.toNanos();
  }
}
