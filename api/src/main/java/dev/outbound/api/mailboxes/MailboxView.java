package dev.outbound.api.mailboxes;

import dev.outbound.crm.admin.MailboxStore;
import dev.outbound.crm.capacity.MailboxUsage;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;

/**
 * A mailbox as the API shows it: never a password, only whether one is stored; its pacing settings
 * and today's usage of its capacity.
 */
record MailboxView(
    long id,
    String email,
    String displayName,
    Server smtp,
    Server imap,
    @Schema(description = MailboxView.DAILY_CAP) int dailyCap,
    @Schema(description = MailboxView.MIN_GAP) int minGapSeconds,
    @Schema(description = MailboxView.JITTER) int jitterSeconds,
    @Schema(description = MailboxView.TIMEZONE) String timezone,
    @Schema(description = MailboxView.WARMUP + " Null when there is none.") Warmup warmup,
    @Schema(description = "ACTIVE, or PAUSED: its leads are held and it gets no new ones.")
        String status,
    @Schema(
            description =
                "Why it is paused (too many bounces, a refused SMTP or IMAP login, an operator);"
                    + " null when active.")
        String pausedReason,
    Instant createdAt,
    @Schema(description = "Today's capacity, read when the mailbox is shown.") Usage usage) {

  static final String DAILY_CAP =
      "Emails per calendar day of the mailbox's timezone, over all campaigns (after the warm-up).";
  static final String MIN_GAP = "The least seconds between two emails of this mailbox.";
  static final String JITTER =
      "At most this many random seconds added to minGapSeconds before each email, so sends do"
          + " not come at a fixed beat.";
  static final String TIMEZONE =
      "The IANA time zone whose calendar days dailyCap counts (the cap resets at its midnight).";
  static final String WARMUP =
      "A warm-up ramp for a new mailbox: the cap of a day is min(dailyCap, startCap + days since"
          + " startedOn × dailyIncrease).";

  record Server(String host, int port, String username, boolean tls, boolean passwordSet) {

    static Server of(MailboxStore.ServerView s) {
      return s == null
          ? null
          : new Server(s.host(), s.port(), s.username(), s.tls(), s.hasPassword());
    }
  }

  record Warmup(int startCap, int dailyIncrease, LocalDate startedOn) {

    static Warmup of(MailboxStore.Warmup w) {
      return w == null ? null : new Warmup(w.startCap(), w.dailyIncrease(), w.startedOn());
    }
  }

  /** Today's capacity of the mailbox ({@link MailboxUsage}). */
  record Usage(
      @Schema(description = "Today in the mailbox's zone.") LocalDate day,
      @Schema(description = "The zone whose calendar day 'day' is.") String zone,
      int dailyCap,
      @Schema(description = "Today's cap: below dailyCap while warming up.") int capToday,
      @Schema(description = "Whether the warm-up still holds today's cap below dailyCap.")
          boolean warmingUp,
      @Schema(
              description =
                  "Send slots reserved for today (waiting for their time, or sent); they count"
                      + " against today's cap.")
          int reservedToday,
      @Schema(description = "Of those, the ones sent (or being sent right now).") int sentToday,
      @Schema(description = "How many more emails today's cap allows: capToday - reservedToday.")
          int remainingToday,
      @Schema(
              description =
                  "The earliest moment from now at which the mailbox could take one more email"
                      + " (its cap and minimum gap; without jitter, lead windows or domain"
                      + " limits); null when there is none within the reservation horizon.")
          Instant nextFreeSlot) {

    static Usage of(MailboxUsage u) {
      return new Usage(
          u.day(),
          u.zone().getId(),
          u.dailyCap(),
          u.capToday(),
          u.warmingUp(),
          u.reservedToday(),
          u.usedToday(),
          u.remainingToday(),
          u.nextFreeSlot());
    }
  }

  static MailboxView of(MailboxStore.Mailbox m, MailboxUsage usage) {
    return new MailboxView(
        m.id(),
        m.email(),
        m.displayName(),
        Server.of(m.smtp()),
        Server.of(m.imap()),
        m.dailyCap(),
        m.minGapSeconds(),
        m.jitterSeconds(),
        m.timezone(),
        Warmup.of(m.warmup()),
        m.status(),
        m.pausedReason(),
        m.createdAt(),
        usage == null ? null : Usage.of(usage));
  }
}
