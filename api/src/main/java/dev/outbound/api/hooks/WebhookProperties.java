package dev.outbound.api.hooks;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Inbound webhook settings ({@code outbound.webhooks.*}).
 *
 * @param secret the master key from which each client's signing secret is derived ({@code
 *     OUTBOUND_WEBHOOK_SECRET}, at least 32 bytes). Empty: the webhooks are off and answer 404
 * @param tolerance how far a request's timestamp may be from now; an older request is a replay
 */
@Validated
@ConfigurationProperties("outbound.webhooks")
public record WebhookProperties(
    @DefaultValue("") String secret, @NotNull @DefaultValue("5m") Duration tolerance) {

  public WebhookProperties {
    secret = secret == null ? "" : secret;
    if (!secret.isEmpty() && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException(
          "outbound.webhooks.secret (OUTBOUND_WEBHOOK_SECRET) must be at least 32 bytes");
    }
  }

  public boolean enabled() {
    return !secret.isEmpty();
  }
}
