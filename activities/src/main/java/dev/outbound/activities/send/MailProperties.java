package dev.outbound.activities.send;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the send activity talks to SMTP servers. Mailbox hosts and credentials are data (the
 * mailboxes table), not settings; these are the limits that keep one slow server from holding a
 * send activity past its two-minute start-to-close timeout.
 *
 * @param connectTimeout how long to wait for a TCP connection
 * @param readTimeout how long to wait for each server reply
 * @param writeTimeout how long a write to the server may block
 */
@Validated
@ConfigurationProperties("outbound.mail")
public record MailProperties(
    @NotNull @DefaultValue("10s") Duration connectTimeout,
    @NotNull @DefaultValue("30s") Duration readTimeout,
    @NotNull @DefaultValue("30s") Duration writeTimeout) {

  public MailProperties {
    requirePositive(connectTimeout, "outbound.mail.connect-timeout");
    requirePositive(readTimeout, "outbound.mail.read-timeout");
    requirePositive(writeTimeout, "outbound.mail.write-timeout");
  }

  /** The defaults, for code that runs without Spring (e.g. a benchmark). */
  public static MailProperties defaults() {
    return new MailProperties(
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  private static void requirePositive(Duration value, String name) {
    // Jakarta Mail reads 0 as "wait forever", which would let a dead server hang an activity.
    if (value != null && (value.isZero() || value.isNegative())) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
