package dev.outbound.activities.inbound;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How mailboxes are watched and what a message read from them does ({@code
 * outbound.inbound.watch.*}).
 *
 * @param enabled the worker starts a watcher for every mailbox with an IMAP server on start (and
 *     the API for each new one); off only for a worker that must not read mail
 * @param pollInterval the pause between two polls of one INBOX within a reading session; a reply
 *     stops its lead within about this long after it arrives
 * @param session how long one reading session (one activity) lasts
 * @param outOfOfficeGraceDays days added to an out-of-office's return date before the next step may
 *     go out (people come back to a full inbox)
 * @param softBounceLimit a lead whose emails soft-bounced this many times is {@code BOUNCED}
 * @param bounceRateThreshold a mailbox whose hard bounces among its latest 100 sends exceed this
 *     share is paused
 * @param bounceRateMinimumSends the bounce rate is judged only once the mailbox has sent this many
 *     emails (two bounces among its first five sends say little)
 */
@Validated
@ConfigurationProperties("outbound.inbound.watch")
public record WatchProperties(
    @DefaultValue("true") boolean enabled,
    @NotNull @DefaultValue("5s") Duration pollInterval,
    @NotNull @DefaultValue("5m") Duration session,
    @Min(0) @Max(60) @DefaultValue("1") int outOfOfficeGraceDays,
    @Min(1) @Max(100) @DefaultValue("3") int softBounceLimit,
    @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.05") double bounceRateThreshold,
    @Min(1) @Max(100) @DefaultValue("20") int bounceRateMinimumSends) {

  public WatchProperties {
    if (pollInterval != null && (pollInterval.toMillis() < 100 || pollInterval.toHours() >= 1)) {
      throw new IllegalArgumentException(
          "outbound.inbound.watch.poll-interval must be between 100 ms and 1 h, was "
              + pollInterval);
    }
    if (session != null && (session.toSeconds() < 10 || session.toSeconds() > 3_600)) {
      throw new IllegalArgumentException(
          "outbound.inbound.watch.session must be between 10 s and 1 h, was " + session);
    }
  }

  /** The defaults, for code that runs without Spring. */
  public static WatchProperties defaults() {
    return new WatchProperties(true, Duration.ofSeconds(5), Duration.ofMinutes(5), 1, 3, 0.05, 20);
  }
}
