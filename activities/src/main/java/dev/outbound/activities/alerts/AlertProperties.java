package dev.outbound.activities.alerts;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where and how operator alerts are posted.
 *
 * @param webhookUrl the webhook (a Slack incoming webhook or anything that accepts the same JSON);
 *     empty turns the alerts off
 * @param environment a label put in front of every alert (e.g. {@code production}) so that several
 *     installations can share one channel; empty for none
 * @param connectTimeout how long to wait for a connection to the webhook
 * @param requestTimeout how long one post may take, answer included
 * @param maxAttempts how often one alert is tried in all (1 = no retry)
 * @param initialBackoff the wait before the first retry; it doubles for each further one
 * @param maxPending how many alerts may wait for delivery at once; more are dropped (and logged),
 *     so a dead webhook cannot pile up memory
 */
@Validated
@ConfigurationProperties("outbound.alerts")
public record AlertProperties(
    @DefaultValue("") String webhookUrl,
    @DefaultValue("") String environment,
    @NotNull @DefaultValue("2s") Duration connectTimeout,
    @NotNull @DefaultValue("5s") Duration requestTimeout,
    @DefaultValue("3") @Min(1) @Max(10) int maxAttempts,
    @NotNull @DefaultValue("1s") Duration initialBackoff,
    @DefaultValue("100") @Min(1) @Max(10000) int maxPending) {

  public AlertProperties {
    webhookUrl = webhookUrl == null ? "" : webhookUrl.strip();
    environment = environment == null ? "" : environment.strip();
    if (!webhookUrl.isEmpty()) {
      URI uri;
      try {
        uri = URI.create(webhookUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("outbound.alerts.webhook-url is not a URL", e);
      }
      if (!"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
          || uri.getHost() == null) {
        // The URL itself is a secret (Slack's carry a token), so it is not repeated here.
        throw new IllegalArgumentException(
            "outbound.alerts.webhook-url must be an http(s) URL with a host");
      }
    }
    requirePositive(connectTimeout, "outbound.alerts.connect-timeout");
    requirePositive(requestTimeout, "outbound.alerts.request-timeout");
    requirePositive(initialBackoff, "outbound.alerts.initial-backoff");
  }

  /** Alerts off: no webhook. */
  public static AlertProperties off() {
    return new AlertProperties(
        "", "", Duration.ofSeconds(2), Duration.ofSeconds(5), 3, Duration.ofSeconds(1), 100);
  }

  public boolean enabled() {
    return !webhookUrl.isEmpty();
  }

  private static void requirePositive(Duration value, String name) {
    if (value != null && (value.isZero() || value.isNegative())) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
