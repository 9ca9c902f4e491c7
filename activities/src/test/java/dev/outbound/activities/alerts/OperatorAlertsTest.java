package dev.outbound.activities.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jayway.jsonpath.JsonPath;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.outbound.activities.alerts.OperatorAlerts.Delivery;
import dev.outbound.vocabulary.network.HostPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Operator alerts against a real HTTP server on a free loopback port. */
@Tag("slow")
class OperatorAlertsTest {

  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> contentTypes = new CopyOnWriteArrayList<>();

  /** The status code for each request in turn; the last one repeats. */
  private final BlockingQueue<Integer> statuses = new LinkedBlockingQueue<>();

  private volatile int lastStatus = 200;
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private OperatorAlerts alerts;

  @BeforeEach
  void startWebhook() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hooks/T000/B000/secret", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    hold.countDown();
    if (alerts != null) {
      alerts.close();
    }
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
    try {
      hold.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Integer next = statuses.poll();
    int status = next == null ? lastStatus : next;
    lastStatus = status;
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private AlertProperties properties(int maxAttempts, Duration requestTimeout, int maxPending) {
    return new AlertProperties(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/T000/B000/secret",
        "staging",
        Duration.ofSeconds(2),
        requestTimeout,
        maxAttempts,
        Duration.ofMillis(10),
        maxPending);
  }

  @Test
  void postsASlackCompatibleTextWithInternalIdsOnly() {
    alerts = new OperatorAlerts(properties(3, Duration.ofSeconds(5), 10));

    assertThat(alerts.ambiguousSend(3, 12, 345, 2, 7).join()).isEqualTo(Delivery.DELIVERED);

    assertThat(bodies).hasSize(1);
    assertThat(contentTypes.get(0)).startsWith("application/json");
    String text = JsonPath.read(bodies.get(0), "$.text");
    assertThat(text)
        .startsWith("[staging] Ambiguous send: step 2 of lead 345 in campaign 12 (client 3)")
        .contains("mailbox 7")
        .contains("/api/v1/leads/345/steps/2/mark-sent");
  }

  @Test
  void postsNothingToAWebhookOnAnInternalAddressUnlessTheOperatorAllowsIt() {
    alerts =
        new OperatorAlerts(
            properties(3, Duration.ofSeconds(5), 10),
            new HostPolicy(false, InetAddress::getAllByName));

    assertThat(alerts.ambiguousSend(3, 12, 345, 2, 7).join()).isEqualTo(Delivery.FAILED);
    assertThat(bodies).isEmpty();

    alerts.close();
    alerts =
        new OperatorAlerts(
            properties(3, Duration.ofSeconds(5), 10),
            new HostPolicy(true, InetAddress::getAllByName));
    assertThat(alerts.ambiguousSend(3, 12, 345, 2, 7).join()).isEqualTo(Delivery.DELIVERED);
    assertThat(bodies).hasSize(1);
  }

  @Test
  void tellsWhyAMailboxWasPaused() {
    alerts = new OperatorAlerts(properties(1, Duration.ofSeconds(5), 10));

    alerts.mailboxPaused(3, 7, MailboxPauseReason.AUTHENTICATION_FAILURE).join();
    alerts.mailboxPaused(3, 8, MailboxPauseReason.BOUNCES).join();

    assertThat(bodies.stream().map(b -> (String) JsonPath.read(b, "$.text")))
        .containsExactly(
            "[staging] Mailbox 7 of client 3 was paused: the SMTP server refused its login."
                + " Leads that would send from it are held until it is fixed and resumed.",
            "[staging] Mailbox 8 of client 3 was paused: too many bounces."
                + " Leads that would send from it are held until it is fixed and resumed.");
  }

  @Test
  void keepsFreeTextOutOfACampaignStopAlert() {
    alerts = new OperatorAlerts(properties(1, Duration.ofSeconds(5), 10));

    alerts.campaignStoppedByError(3, 12, "rejected \"ada@example.com\"\n").join();
    alerts.campaignStoppedByError(3, 13, "NOT_FOUND").join();

    assertThat((String) JsonPath.read(bodies.get(0), "$.text"))
        .contains("Campaign 12 of client 3 was stopped by an error (UNSPECIFIED)")
        .doesNotContain("@");
    assertThat((String) JsonPath.read(bodies.get(1), "$.text")).contains("(NOT_FOUND)");
  }

  @Test
  void retriesServerErrorsAndRateLimitsUntilTheWebhookAccepts() {
    statuses.add(503);
    statuses.add(429);
    statuses.add(200);
    alerts = new OperatorAlerts(properties(3, Duration.ofSeconds(5), 10));

    assertThat(alerts.mailboxPaused(1, 2, MailboxPauseReason.BOUNCES).join())
        .isEqualTo(Delivery.DELIVERED);
    assertThat(bodies).hasSize(3).containsOnly(bodies.get(0));
  }

  @Test
  void givesUpAfterTheLastAttempt() {
    lastStatus = 500;
    alerts = new OperatorAlerts(properties(3, Duration.ofSeconds(5), 10));

    assertThat(alerts.mailboxPaused(1, 2, MailboxPauseReason.BOUNCES).join())
        .isEqualTo(Delivery.FAILED);
    assertThat(bodies).hasSize(3);
  }

  @Test
  void doesNotRetryAWebhookThatRefusesTheRequest() {
    lastStatus = 404;
    alerts = new OperatorAlerts(properties(3, Duration.ofSeconds(5), 10));

    assertThat(alerts.mailboxPaused(1, 2, MailboxPauseReason.BOUNCES).join())
        .isEqualTo(Delivery.FAILED);
    assertThat(bodies).hasSize(1);
  }

  @Test
  void givesUpOnAWebhookThatDoesNotAnswerWithinTheRequestTimeout() {
    hold = new CountDownLatch(1);
    // Long enough for the request to reach the handler even when this test runs first in a cold
    // JVM (JUnit's method order is not alphabetical); 300 ms was not, on a loaded machine.
    alerts = new OperatorAlerts(properties(2, Duration.ofSeconds(2), 10));

    assertThat(alerts.mailboxPaused(1, 2, MailboxPauseReason.BOUNCES).join())
        .isEqualTo(Delivery.FAILED);
    assertThat(bodies).hasSize(2);
  }

  @Test
  void dropsAlertsBeyondThePendingLimitWithoutWaiting() {
    hold = new CountDownLatch(1);
    alerts = new OperatorAlerts(properties(1, Duration.ofSeconds(30), 1));

    var first = alerts.mailboxPaused(1, 2, MailboxPauseReason.BOUNCES);
    var second = alerts.mailboxPaused(1, 3, MailboxPauseReason.BOUNCES);

    assertThat(second.join()).isEqualTo(Delivery.DROPPED);
    hold.countDown();
    assertThat(first.join()).isEqualTo(Delivery.DELIVERED);
  }

  @Test
  void isOffWithoutAWebhookUrl() {
    alerts = new OperatorAlerts(AlertProperties.off());

    assertThat(alerts.enabled()).isFalse();
    assertThat(alerts.ambiguousSend(3, 12, 345, 2, 7).join()).isEqualTo(Delivery.OFF);
    assertThat(bodies).isEmpty();
  }

  @Test
  void refusesAWebhookUrlThatIsNotHttp() {
    assertThatThrownBy(
            () ->
                new AlertProperties(
                    "ftp://hooks.example/x",
                    "",
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    1,
                    Duration.ofSeconds(1),
                    1))
        .hasMessageContaining("http(s)");
  }
}
