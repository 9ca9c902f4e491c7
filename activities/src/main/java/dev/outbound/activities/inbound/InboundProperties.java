package dev.outbound.activities.inbound;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the inbox poller talks to IMAP servers. Mailbox hosts and credentials are data (the mailboxes
 * table); these bound one poll, so that a poll fits in an activity's timeout however large the
 * inbox is and however slow its server.
 *
 * @param connectTimeout how long to wait for a TCP connection
 * @param readTimeout how long to wait for each server response
 * @param maxMessagesPerPoll at most this many messages are returned by one poll; the rest come with
 *     the next (the batch says {@code more})
 * @param maxBytesPerPoll a poll stops adding messages once their raw size passes this (it always
 *     returns at least one message, so a poll makes progress)
 * @param maxMessageSize a larger message is returned with its headers only (marked {@code
 *     truncated}): a reply or a bounce is classified from its headers and first text part, never
 *     from a 30 MB attachment
 */
@Validated
@ConfigurationProperties("outbound.inbound")
public record InboundProperties(
    @NotNull @DefaultValue("10s") Duration connectTimeout,
    @NotNull @DefaultValue("30s") Duration readTimeout,
    @Min(1) @Max(10_000) @DefaultValue("200") int maxMessagesPerPoll,
    @NotNull @DefaultValue("25MB") DataSize maxBytesPerPoll,
    @NotNull @DefaultValue("2MB") DataSize maxMessageSize) {

  public InboundProperties {
    requirePositive(connectTimeout, "outbound.inbound.connect-timeout");
    requirePositive(readTimeout, "outbound.inbound.read-timeout");
    if (maxBytesPerPoll != null && maxBytesPerPoll.toBytes() <= 0) {
      throw new IllegalArgumentException("outbound.inbound.max-bytes-per-poll must be positive");
    }
    if (maxMessageSize != null && maxMessageSize.toBytes() <= 0) {
      throw new IllegalArgumentException("outbound.inbound.max-message-size must be positive");
    }
  }

  /** The defaults, for code that runs without Spring. */
  public static InboundProperties defaults() {
    return new InboundProperties(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        200,
        DataSize.ofMegabytes(25),
        DataSize.ofMegabytes(2));
  }

  private static void requirePositive(Duration value, String name) {
    // Jakarta Mail reads 0 as "wait forever", which would let a dead server hang an activity.
    if (value != null && (value.isZero() || value.isNegative())) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
