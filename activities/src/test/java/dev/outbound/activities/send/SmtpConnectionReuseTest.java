package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Connection reuse in {@link SmtpMailer}: one connection per mailbox for consecutive emails, a
 * transparent reconnect when the server ended an idle one, no reuse after a failure, and idle
 * connections closed after the timeout and on shutdown. Connections are counted at a {@link
 * FakeSmtpServer}.
 */
@Tag("slow")
class SmtpConnectionReuseTest {

  private static final Duration IDLE = Duration.ofSeconds(30);

  /** The clock that ages idle connections; the tests move it by hand. */
  private final AtomicLong nanos = new AtomicLong();

  private SmtpMailer mailer() {
    return mailer(MailProperties.defaults());
  }

  private SmtpMailer mailer(MailProperties properties) {
    return new SmtpMailer(properties.withPool(IDLE, 2, 200), nanos::get);
  }

  @Test
  void twoEmailsFromOneMailboxUseOneConnection() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      List<Integer> gates = Collections.synchronizedList(new ArrayList<>());
      mailer.send(account(1, server.port()), email(1), () -> gates.add(1));
      mailer.send(account(1, server.port()), email(2, "other@acme.test"), () -> gates.add(2));

      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.delivered()).isEqualTo(2);
      assertThat(gates).containsExactly(1, 2);
      // One greeting, two transactions, no QUIT in between.
      assertThat(server.commands())
          .containsExactly("EHLO", "MAIL", "RCPT", "DATA", ".", "MAIL", "RCPT", "DATA", ".");
      // The envelope sender is each email's, not the connection's.
      assertThat(server.senders()).containsExactly("<sales@acme.test>", "<other@acme.test>");
      assertThat(mailer.idleConnections()).isEqualTo(1);

      // Another mailbox on the same server gets its own connection.
      mailer.send(account(2, server.port()), email(3), () -> true);
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void anotherPasswordMeansAnotherConnection() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      SmtpAccount changed = new SmtpAccount(1, "127.0.0.1", server.port(), null, "new", false);
      mailer.send(changed, email(2), () -> true);

      assertThat(server.connections()).isEqualTo(2);
      // The old connection was closed, not kept next to the new one.
      assertThat(server.commands()).contains("QUIT");
      assertThat(mailer.idleConnections()).isEqualTo(1);
    }
  }

  @Test
  void aConnectionTheServerDroppedSilentlyIsReplacedOnceWithoutAmbiguity() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      server.dropConnections(null);

      AtomicInteger gates = new AtomicInteger();
      mailer.send(account(1, server.port()), email(2), () -> gates.incrementAndGet() > 0);

      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.delivered()).isEqualTo(2);
      assertThat(gates).hasValue(1);
      assertThat(mailer.idleConnections()).isEqualTo(1);
    }
  }

  @Test
  void aConnectionTheServerClosedCleanlyIsReplacedToo() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      // A FIN without a reply: Jakarta Mail reads "[EOF]" (reply code -1) instead of an exception.
      server.endConnections();

      AtomicInteger gates = new AtomicInteger();
      mailer.send(account(1, server.port()), email(2), () -> gates.incrementAndGet() > 0);

      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.delivered()).isEqualTo(2);
      assertThat(gates).hasValue(1);
    }
  }

  @Test
  void aConnectionTheServerEndedWith421IsReplaced() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      server.dropConnections("421 4.4.2 fake.test idle too long, closing");

      AtomicInteger gates = new AtomicInteger();
      mailer.send(account(1, server.port()), email(2), () -> gates.incrementAndGet() > 0);

      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.delivered()).isEqualTo(2);
      assertThat(gates).hasValue(1);
    }
  }

  @Test
  void aReusedConnectionStillAnswersForItsEmail() throws Exception {
    // A rejection on a reused connection is the server's word on this email, not a stale
    // connection: it is sorted as always, not retried on a new connection.
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      server.override("RCPT", "550 5.1.1 no such user");

      assertThatThrownBy(() -> mailer.send(account(1, server.port()), email(2), () -> true))
          .isInstanceOfSatisfying(
              SmtpFailure.class, f -> assertThat(f.kind()).isEqualTo(SmtpFailure.Kind.PERMANENT));
      assertThat(server.connections()).isEqualTo(1);
      // Not reused after the failure.
      assertThat(mailer.idleConnections()).isZero();

      server.clearOverrides();
      mailer.send(account(1, server.port()), email(3), () -> true);
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void authenticationRefusedOnANewConnectionStillPausesTheMailbox() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server =
            new FakeSmtpServer(Map.of("MAIL", "530 5.7.0 Authentication required"))) {
      assertThatThrownBy(() -> mailer.send(account(1, server.port()), email(1), () -> true))
          .isInstanceOfSatisfying(
              SmtpFailure.class,
              f -> {
                assertThat(f.kind()).isEqualTo(SmtpFailure.Kind.MAILBOX);
                assertThat(f.pauseReason()).isNotNull();
              });
      assertThat(mailer.idleConnections()).isZero();
    }
  }

  @Test
  void aConnectionLostAfterTheContentIsAmbiguousAndNotReused() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      server.override(".", FakeSmtpServer.CLOSE);

      AtomicInteger gates = new AtomicInteger();
      assertThatThrownBy(
              () ->
                  mailer.send(
                      account(1, server.port()), email(2), () -> gates.incrementAndGet() > 0))
          .isInstanceOfSatisfying(
              SmtpFailure.class, f -> assertThat(f.kind()).isEqualTo(SmtpFailure.Kind.AMBIGUOUS));
      // Sent on the reused connection, and not again on a new one.
      assertThat(server.connections()).isEqualTo(1);
      assertThat(gates).hasValue(1);
      assertThat(mailer.idleConnections()).isZero();

      server.clearOverrides();
      mailer.send(account(1, server.port()), email(3), () -> true);
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void aClosedGateOnAReusedConnectionIsNotRetriedAndDropsTheConnection() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);

      assertThatThrownBy(() -> mailer.send(account(1, server.port()), email(2), () -> false))
          .isInstanceOfSatisfying(
              SmtpFailure.class, f -> assertThat(f.kind()).isEqualTo(SmtpFailure.Kind.TRANSIENT));
      assertThat(server.connections()).isEqualTo(1);
      assertThat(server.delivered()).isEqualTo(1);
      assertThat(mailer.idleConnections()).isZero();
    }
  }

  @Test
  void oneConnectionCarriesOneEmailAtATime() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      CountDownLatch inFirst = new CountDownLatch(1);
      CountDownLatch secondDone = new CountDownLatch(1);
      // The first email holds the pooled connection at its gate until the second one is sent.
      CompletableFuture<Void> first = sendAsync(mailer, server, 2, inFirst, secondDone);
      assertThat(inFirst.await(30, TimeUnit.SECONDS)).isTrue();
      mailer.send(account(1, server.port()), email(3), () -> true);
      secondDone.countDown();
      first.get(30, TimeUnit.SECONDS);

      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.delivered()).isEqualTo(3);
      assertThat(mailer.idleConnections()).isEqualTo(2);
    }
  }

  @Test
  void aMailboxBeyondItsConnectionLimitWaitsForOneAndTakesIt() throws Exception {
    try (SmtpMailer mailer =
            mailer(MailProperties.defaults().withConcurrency(1, Duration.ofSeconds(30)));
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      CountDownLatch inFirst = new CountDownLatch(1);
      CountDownLatch releaseFirst = new CountDownLatch(1);
      CompletableFuture<Void> first = sendAsync(mailer, server, 1, inFirst, releaseFirst);
      assertThat(inFirst.await(30, TimeUnit.SECONDS)).isTrue();
      // The second email of the same mailbox waits for the first one's connection.
      AtomicInteger secondGate = new AtomicInteger();
      CompletableFuture<Void> second =
          CompletableFuture.runAsync(
              () -> {
                try {
                  mailer.send(
                      account(1, server.port()), email(2), () -> secondGate.incrementAndGet() > 0);
                } catch (SmtpFailure e) {
                  throw new IllegalStateException(e);
                }
              });
      // Another mailbox is not held up by it.
      mailer.send(account(2, server.port()), email(3), () -> true);
      assertThat(secondGate.get()).isZero();
      assertThat(second).isNotDone();

      releaseFirst.countDown();
      first.get(30, TimeUnit.SECONDS);
      second.get(30, TimeUnit.SECONDS);
      assertThat(secondGate.get()).isEqualTo(1);
      assertThat(server.delivered()).isEqualTo(3);
      // Mailbox 1 used one connection for both emails; mailbox 2 its own.
      assertThat(server.connections()).isEqualTo(2);
    }
  }

  @Test
  void aSendThatWaitedTooLongForAConnectionSendsNothingAndIsTransient() throws Exception {
    try (SmtpMailer mailer =
            mailer(MailProperties.defaults().withConcurrency(1, Duration.ofMillis(200)));
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      CountDownLatch inFirst = new CountDownLatch(1);
      CountDownLatch releaseFirst = new CountDownLatch(1);
      CompletableFuture<Void> first = sendAsync(mailer, server, 1, inFirst, releaseFirst);
      assertThat(inFirst.await(30, TimeUnit.SECONDS)).isTrue();
      AtomicInteger gate = new AtomicInteger();

      assertThatThrownBy(
              () ->
                  mailer.send(
                      account(1, server.port()), email(2), () -> gate.incrementAndGet() > 0))
          .isInstanceOfSatisfying(
              SmtpFailure.class,
              f -> {
                assertThat(f.kind()).isEqualTo(SmtpFailure.Kind.TRANSIENT);
                assertThat(f.getMessage()).contains("connections of mailbox 1 stayed busy");
              });
      assertThat(gate.get()).isZero();

      releaseFirst.countDown();
      first.get(30, TimeUnit.SECONDS);
      // The permit of the send that gave up was never taken: the mailbox sends again at once.
      mailer.send(account(1, server.port()), email(3), () -> true);
      assertThat(server.delivered()).isEqualTo(2);
      assertThat(server.connections()).isEqualTo(1);
    }
  }

  @Test
  void aFailedSendGivesItsPermitBack() throws Exception {
    try (SmtpMailer mailer =
            mailer(MailProperties.defaults().withConcurrency(1, Duration.ofMillis(200)));
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      assertThatThrownBy(() -> mailer.send(account(1, server.port()), email(1), () -> false))
          .isInstanceOf(SmtpFailure.class);
      mailer.send(account(1, server.port()), email(2), () -> true);
      assertThat(server.delivered()).isEqualTo(1);
    }
  }

  /** Sends email {@code n} from mailbox 1 on another thread, holding it at the gate until told. */
  private static CompletableFuture<Void> sendAsync(
      SmtpMailer mailer, FakeSmtpServer server, int n, CountDownLatch atGate, CountDownLatch go) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            mailer.send(
                account(1, server.port()),
                email(n),
                () -> {
                  atGate.countDown();
                  try {
                    return go.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                  }
                });
          } catch (SmtpFailure e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    try (SmtpMailer mailer = mailer();
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      nanos.addAndGet(IDLE.toNanos() - 1);
      mailer.closeIdle();
      assertThat(mailer.idleConnections()).isEqualTo(1);
      assertThat(server.commands()).doesNotContain("QUIT");

      nanos.addAndGet(1);
      mailer.closeIdle();
      assertThat(mailer.idleConnections()).isZero();
      assertThat(server.commands()).contains("QUIT");

      mailer.send(account(1, server.port()), email(2), () -> true);
      assertThat(server.connections()).isEqualTo(2);

      // An expired connection is never handed out, even before the sweeper has run.
      nanos.addAndGet(IDLE.toNanos());
      mailer.send(account(1, server.port()), email(3), () -> true);
      assertThat(server.connections()).isEqualTo(3);
    }
  }

  @Test
  void keepsNoConnectionWhenReuseIsOff() throws Exception {
    try (SmtpMailer mailer =
            new SmtpMailer(MailProperties.defaults().withPool(IDLE, 0, 200), nanos::get);
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      mailer.send(account(1, server.port()), email(1), () -> true);
      mailer.send(account(1, server.port()), email(2), () -> true);

      assertThat(server.connections()).isEqualTo(2);
      assertThat(server.commands()).containsSubsequence(".", "QUIT", "EHLO", "MAIL");
      assertThat(mailer.idleConnections()).isZero();
    }
  }

  @Test
  void theBeanClosesItsConnectionsWhenTheApplicationStops() throws Exception {
    try (FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      new ApplicationContextRunner()
          .withBean(MailProperties.class, MailProperties::defaults)
          .withBean(SmtpMailer.class)
          .run(
              context -> {
                SmtpMailer mailer = context.getBean(SmtpMailer.class);
                mailer.send(account(1, server.port()), email(1), () -> true);
                assertThat(mailer.idleConnections()).isEqualTo(1);
                assertThat(server.commands()).doesNotContain("QUIT");
              });
      // The context closed when run returned: the idle connection said QUIT.
      assertThat(server.commands()).endsWith("QUIT");
    }
  }

  @Test
  void bindsThePoolSettings() {
    new ApplicationContextRunner()
        .withUserConfiguration(MailSettings.class)
        .withPropertyValues(
            "outbound.mail.pool-idle-timeout=10s",
            "outbound.mail.pool-max-idle-per-mailbox=3",
            "outbound.mail.pool-max-per-mailbox=4",
            "outbound.mail.pool-wait=5s")
        .run(
            context -> {
              MailProperties p = context.getBean(MailProperties.class);
              assertThat(p.poolIdleTimeout()).isEqualTo(Duration.ofSeconds(10));
              assertThat(p.poolMaxIdlePerMailbox()).isEqualTo(3);
              assertThat(p.poolMaxIdle()).isEqualTo(200);
              assertThat(p.poolMaxPerMailbox()).isEqualTo(4);
              assertThat(p.poolWait()).isEqualTo(Duration.ofSeconds(5));
              assertThat(p.sendDeadline()).isEqualTo(Duration.ofMinutes(3));
            });
    new ApplicationContextRunner()
        .withUserConfiguration(MailSettings.class)
        .withPropertyValues("outbound.mail.pool-max-idle=-1")
        .run(context -> assertThat(context).hasFailed());
    new ApplicationContextRunner()
        .withUserConfiguration(MailSettings.class)
        .withPropertyValues("outbound.mail.pool-max-per-mailbox=0")
        .run(context -> assertThat(context).hasFailed());
  }

  @org.springframework.boot.context.properties.EnableConfigurationProperties(MailProperties.class)
  static class MailSettings {}

  private static SmtpAccount account(long mailbox, int port) {
    return new SmtpAccount(mailbox, "127.0.0.1", port, null, null, false);
  }

  private static OutgoingEmail email(int n) {
    return email(n, "sales@acme.test");
  }

  private static OutgoingEmail email(int n, String from) {
    return new OutgoingEmail(
        "<t." + n + "@acme.test>",
        address(from),
        address("ada" + n + "@example.test"),
        "Hi",
        "text",
        "<p>html</p>",
        List.of());
  }

  private static InternetAddress address(String email) {
    try {
      return new InternetAddress(email);
    } catch (AddressException e) {
      throw new IllegalStateException(e);
    }
  }
}
