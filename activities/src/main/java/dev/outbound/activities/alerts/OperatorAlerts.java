package dev.outbound.activities.alerts;

import dev.outbound.vocabulary.json.Json;
import dev.outbound.vocabulary.network.HostPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts alerts that need a human to a Slack-compatible webhook ({@code POST} of {@code {"text":
 * "..."}}).
 *
 * <p>Every method returns at once: the post runs on one background thread, with a connect and a
 * request timeout, and is retried with doubling backoff on network errors, 429 and 5xx answers, up
 * to {@code outbound.alerts.max-attempts} tries. Other 4xx answers are not retried (the webhook is
 * misconfigured). When more than {@code max-pending} alerts wait, new ones are dropped and logged,
 * so a dead webhook costs neither time nor memory. The returned future tells how it ended; callers
 * may ignore it.
 *
 * <p>Texts carry internal IDs and fixed reasons only (no address, name, subject or server reply),
 * so they are safe to post into a chat channel. Neither the texts nor the webhook URL (a secret)
 * are written to the log.
 */
public class OperatorAlerts implements AutoCloseable {

  /** How one alert ended. */
  public enum Delivery {
    /** The webhook answered 2xx. */
    DELIVERED,
    /** Every attempt failed, or the webhook refused it with a 4xx answer. */
    FAILED,
    /** Too many alerts were waiting for delivery, or the application is shutting down. */
    DROPPED,
    /** No webhook is configured. */
    OFF
  }

  private static final Logger log = LoggerFactory.getLogger(OperatorAlerts.class);

  private final AlertProperties properties;
  private final HostPolicy hosts;
  private final HttpClient http;
  private final ScheduledExecutorService sender;
  private final AtomicInteger pending = new AtomicInteger();

  /**
   * Alerts to a webhook whose host is not checked against internal addresses: for tests and for the
   * "off" instance. The application uses {@link #OperatorAlerts(AlertProperties, HostPolicy)}.
   */
  public OperatorAlerts(AlertProperties properties) {
    this(properties, new HostPolicy(true, java.net.InetAddress::getAllByName));
  }

  /**
   * Alerts to a webhook that must pass {@code hosts} on every attempt: a webhook that resolves to
   * an internal address is not posted to unless the operator allows private hosts.
   */
  public OperatorAlerts(AlertProperties properties, HostPolicy hosts) {
    this.properties = properties;
    this.hosts = hosts;
    if (properties.enabled()) {
      this.http = HttpClient.newBuilder().connectTimeout(properties.connectTimeout()).build();
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              runnable -> {
                Thread thread = new Thread(runnable, "outbound-alerts");
                thread.setDaemon(true);
                return thread;
              });
      // On shutdown, waiting retries are dropped rather than delaying the exit.
      executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
      this.sender = executor;
    } else {
      this.http = null;
      this.sender = null;
    }
  }

  /** Whether a webhook is configured. */
  public boolean enabled() {
    return sender != null;
  }

  /**
   * Mailbox {@code mailboxId} of client {@code clientId} was paused: its sends are held until an
   * operator fixes and resumes it. Call once, when the mailbox changes to paused.
   */
  public CompletableFuture<Delivery> mailboxPaused(
      long clientId, long mailboxId, MailboxPauseReason reason) {
    requireIds(clientId, mailboxId);
    return post(
        "Mailbox "
            + mailboxId
            + " of client "
            + clientId
            + " was paused: "
            + reason.description()
            + ". Leads that would send from it are held until it is fixed and resumed.");
  }

  /**
   * Step {@code step} of lead {@code leadId} (campaign {@code campaignId}, client {@code clientId})
   * from mailbox {@code mailboxId} is ambiguous: it may or may not have been delivered, and by
   * policy it is not sent again. Call once, when the step is flagged.
   */
  public CompletableFuture<Delivery> ambiguousSend(
      long clientId, long campaignId, long leadId, int step, long mailboxId) {
    requireIds(clientId, campaignId, leadId, step, mailboxId);
    return post(
        "Ambiguous send: step "
            + step
            + " of lead "
            + leadId
            + " in campaign "
            + campaignId
            + " (client "
            + clientId
            + ") from mailbox "
            + mailboxId
            + " may or may not have been delivered and will not be sent again. Check the mailbox's"
            + " Sent folder; if it went out, POST /api/v1/leads/"
            + leadId
            + "/steps/"
            + step
            + "/mark-sent.");
  }

  /**
   * Campaign {@code campaignId} of client {@code clientId} was stopped by an error. {@code
   * errorCode} is a fixed code (for example a {@code FailureType} name); anything that is not a
   * short code (letters, digits, {@code _ . -}) is replaced by {@code UNSPECIFIED}, so no message
   * text can carry personal data into the channel.
   */
  public CompletableFuture<Delivery> campaignStoppedByError(
      long clientId, long campaignId, String errorCode) {
    requireIds(clientId, campaignId);
    return post(
        "Campaign "
            + campaignId
            + " of client "
            + clientId
            + " was stopped by an error ("
            + code(errorCode)
            + "). No further emails go out for it until it is looked at.");
  }

  /** Stops the background thread; alerts still waiting for a retry are dropped. */
  @Override
  public void close() {
    if (sender != null) {
      sender.shutdown();
      try {
        // One post in flight may finish; it is bounded by the request timeout.
        sender.awaitTermination(properties.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sender.shutdownNow();
    }
  }

  private CompletableFuture<Delivery> post(String text) {
    if (sender == null) {
      return CompletableFuture.completedFuture(Delivery.OFF);
    }
    String label = properties.environment().isEmpty() ? "" : "[" + properties.environment() + "] ";
    String body = "{\"text\":" + Json.string(label + text) + "}";
    if (pending.incrementAndGet() > properties.maxPending()) {
      pending.decrementAndGet();
      log.warn("Operator alert dropped: {} alerts are already waiting", properties.maxPending());
      return CompletableFuture.completedFuture(Delivery.DROPPED);
    }
    CompletableFuture<Delivery> result = new CompletableFuture<>();
    result.whenComplete((delivery, error) -> pending.decrementAndGet());
    schedule(body, 1, Duration.ZERO, result);
    return result;
  }

  private void schedule(
      String body, int attempt, Duration delay, CompletableFuture<Delivery> result) {
    try {
      sender.schedule(
          () -> attempt(body, attempt, result), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.warn("Operator alert dropped: the application is shutting down");
      result.complete(Delivery.DROPPED);
    }
  }

  private void attempt(String body, int attempt, CompletableFuture<Delivery> result) {
    URI target = URI.create(properties.webhookUrl());
    var refusal = hosts.refusal(target.getHost());
    if (refusal.isPresent()) {
      // The URL is a secret (Slack's carry a token), so only the reason is logged.
      log.warn(
          "Operator alert not posted: the webhook host {}; set OUTBOUND_ALLOW_PRIVATE_HOSTS=true"
              + " if it is meant to be internal",
          refusal.get());
      result.complete(Delivery.FAILED);
      return;
    }
    String problem;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(target)
              .timeout(properties.requestTimeout())
              .header("Content-Type", "application/json; charset=utf-8")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
              .build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status >= 200 && status < 300) {
        result.complete(Delivery.DELIVERED);
        return;
      }
      if (status != 429 && status < 500) {
        log.warn("Operator alert refused by the webhook with HTTP {}; not retried", status);
        result.complete(Delivery.FAILED);
        return;
      }
      problem = "HTTP " + status;
    } catch (IOException e) {
      // Connection refused, reset or timed out: the webhook may be back in a moment.
      problem = e.getClass().getSimpleName();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result.complete(Delivery.DROPPED);
      return;
    }
    if (attempt >= properties.maxAttempts()) {
      log.warn("Operator alert not delivered after {} attempts (last: {})", attempt, problem);
      result.complete(Delivery.FAILED);
      return;
    }
    Duration backoff = properties.initialBackoff().multipliedBy(1L << (attempt - 1));
    log.info("Operator alert attempt {} failed ({}); retrying in {}", attempt, problem, backoff);
    schedule(body, attempt + 1, backoff, result);
  }

  private static void requireIds(long... ids) {
    for (long id : ids) {
      if (id <= 0) {
        throw new IllegalArgumentException("alerts take positive internal IDs, got " + id);
      }
    }
  }

  static String code(String errorCode) {
    if (errorCode == null || !errorCode.matches("[A-Za-z0-9_.-]{1,64}")) {
      return "UNSPECIFIED";
    }
    return errorCode;
  }
}
