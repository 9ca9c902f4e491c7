package dev.outbound.crm.capacity;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A mailbox's pacing settings as the capacity rules read them.
 *
 * @param mailboxId the mailbox
 * @param dailyCap the most emails per calendar day of {@code zone}, once warmed up
 * @param minGap the least time between two sends of the mailbox
 * @param jitter the most random time added to {@code minGap} before each send
 * @param warmupStartCap the cap on the first day of the warm-up, or null for no warm-up
 * @param warmupDailyIncrease how much the cap grows each day of the warm-up (null without one)
 * @param warmupStartedOn the first day of the warm-up (null without one)
 * @param zone the zone whose calendar days the cap counts
 */
public record MailboxLimits(
    long mailboxId,
    int dailyCap,
    Duration minGap,
    Duration jitter,
    Integer warmupStartCap,
    Integer warmupDailyIncrease,
    LocalDate warmupStartedOn,
    ZoneId zone) {

  /**
   * The cap of {@code day}: {@code dailyCap}, or during a warm-up {@code min(dailyCap, start + days
   * since the start * increase)}. Days before the warm-up started get the starting cap.
   */
  public int capOn(LocalDate day) {
    if (warmupStartCap == null) {
      return dailyCap;
    }
    long days = Math.max(0, ChronoUnit.DAYS.between(warmupStartedOn, day));
    long increase = warmupDailyIncrease == null ? 0 : warmupDailyIncrease;
    return (int) Math.min(dailyCap, warmupStartCap + days * increase);
  }

  /** Whether the warm-up still holds the cap of {@code day} below {@code dailyCap}. */
  public boolean warmingUp(LocalDate day) {
    return capOn(day) < dailyCap;
  }

  /** The mailbox's calendar day of {@code at}: the day whose cap a send at {@code at} counts in. */
  public LocalDate dayOf(Instant at) {
    return LocalDate.ofInstant(at, zone);
  }

  /** The first instant of {@code day} in the mailbox's zone. */
  public Instant startOf(LocalDate day) {
    return day.atStartOfDay(zone).toInstant();
  }
}
