package dev.outbound.crm.capacity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a mailbox's capacity looks like today, for the API's mailbox views: its cap (warm-up aware),
 * what is reserved and used of it, and the next slot a new reservation would get. Reads only; the
 * reservations themselves are {@link MailboxCapacityStore}'s.
 *
 * <p>Every statement filters on {@code client_id}, as everywhere in the CRM.
 */
@Repository
public class MailboxUsageStore {

  private final JdbcClient jdbc;

  public MailboxUsageStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Today's capacity of the mailbox at {@code now} (today in the mailbox's zone), or empty when the
   * mailbox is not the client's.
   */
  @Transactional(readOnly = true)
  public Optional<MailboxUsage> usage(long clientId, long mailboxId, Instant now) {
    Optional<MailboxLimits> found = limits(clientId, mailboxId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    MailboxLimits limits = found.get();
    LocalDate today = limits.dayOf(now);
    int cap = limits.capOn(today);
    int reserved =
        jdbc.sql(
                "select coalesce(sum(reserved), 0) from mailbox_day_counts"
                    + " where client_id = :client and mailbox_id = :mailbox and cap_day = :day")
            .param("client", clientId)
            .param("mailbox", mailboxId)
            .param("day", today)
            .query(Integer.class)
            .single();
    int used =
        jdbc.sql(
                "select count(*) from mailbox_reservations where client_id = :client"
                    + " and mailbox_id = :mailbox and cap_day = :day"
                    + " and status <> 'RELEASED' and status = 'USED'")
            .param("client", clientId)
            .param("mailbox", mailboxId)
            .param("day", today)
            .query(Integer.class)
            .single();
    Instant next;
    try {
      next =
          new SlotSearch(jdbc, clientId, limits, now, null)
              .find(limits.minGap(), ReservationRequest.ALWAYS_OPEN, null, null);
    } catch (CapacityExhaustedException e) {
      next = null;
    }
    return Optional.of(
        new MailboxUsage(
            mailboxId,
            today,
            limits.zone(),
            limits.dailyCap(),
            cap,
            limits.warmingUp(today),
            reserved,
            used,
            Math.max(0, cap - reserved),
            next));
  }

  private Optional<MailboxLimits> limits(long clientId, long mailboxId) {
    return jdbc.sql(
            "select id, daily_cap, min_gap_seconds, jitter_seconds, warmup_start_cap,"
                + " warmup_daily_increase, warmup_started_on, timezone from mailboxes"
                + " where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", mailboxId)
        .query(CapacityRows::limits)
        .optional();
  }
}
