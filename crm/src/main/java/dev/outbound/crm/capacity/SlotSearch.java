package dev.outbound.crm.capacity;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The search for one slot of one mailbox, with the day counts and slots it read: one object per
 * search, used inside the caller's transaction ({@link MailboxCapacityStore#reserve} after it
 * locked the mailbox, {@link MailboxUsageStore#usage} read-only).
 *
 * <h2>The rules a slot satisfies</h2>
 *
 * A reservation's slot is the earliest instant at or after the caller's {@code now} at which all of
 * these hold at once:
 *
 * <ol>
 *   <li><b>Window</b>: the lead's send window is open (the request's {@code openAt}).
 *   <li><b>Daily cap</b>: fewer reservations than the cap of the slot's calendar day (in the
 *       mailbox's zone, warm-up aware, {@link MailboxLimits#capOn}) hold capacity on that day.
 *   <li><b>Gap</b>: no slot of the mailbox lies within {@code min gap + jitter} before it or within
 *       {@code min gap} after it; the jitter is drawn uniformly from {@code [0, jitter]} for each
 *       reservation. So any two slots of a mailbox are at least the minimum gap apart, and a slot
 *       placed after another keeps that one's distance plus its own jitter.
 *   <li><b>Domain</b>: with a limit of N, every rolling hour that contains the slot holds at most N
 *       slots of this client to the recipient's domain (over all the client's mailboxes).
 * </ol>
 *
 * The search starts at {@code now} and moves forward; each rule, asked about an instant, answers
 * with that instant when it holds there, and otherwise with a later instant no later than the next
 * one where it holds. Applying the rules in turn until none moves the instant finds the earliest
 * instant where all hold, and stops after {@link MailboxCapacityStore#HORIZON} with {@link
 * CapacityExhaustedException}.
 *
 * <h2>Holes are reused</h2>
 *
 * The gap rule looks at the mailbox's neighbouring slots on both sides rather than only at its
 * latest one: a slot may go into any hole that is wide enough. That costs reading the slots of the
 * day being searched (at most about its cap) instead of one "latest slot" look-up, and buys
 * capacity: a lead whose window opens this afternoon does not hold back a lead who may be sent to
 * now, slots given back by stopped leads are taken again, and a backlog fills every day up to its
 * cap instead of only the time after the furthest reservation. Leads that are due in the same order
 * are still served in that order, because each takes the earliest slot it can.
 */
final class SlotSearch {

  /** A bound on the search's rounds, far above what the horizon allows in practice. */
  static final int MAX_ROUNDS = 100_000;

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration MICROSECOND = Duration.of(1, ChronoUnit.MICROS);

  private final JdbcClient jdbc;
  private final long clientId;
  private final MailboxLimits limits;
  private final Instant now;
  private final Instant horizon;
  private final String domainLockKey;
  private Map<LocalDate, Integer> dayCounts;

  /** The mailbox's slots on the days read so far (instant to how many), and those days. */
  private final TreeMap<Instant, Integer> slots = new TreeMap<>();

  private final Set<LocalDate> slotDays = new HashSet<>();

  /**
   * @param domainLockKey the key of the advisory lock that serialises the reservations of one
   *     client to one domain, taken with the first read; null to take none (read-only use)
   */
  SlotSearch(
      JdbcClient jdbc, long clientId, MailboxLimits limits, Instant now, String domainLockKey) {
    this.jdbc = jdbc;
    this.clientId = clientId;
    this.limits = limits;
    this.now = now;
    this.horizon = now.plus(MailboxCapacityStore.HORIZON);
    this.domainLockKey = domainLockKey;
  }

  /**
   * The earliest instant from {@code now} where all rules hold.
   *
   * @param before the distance to keep after an earlier slot (gap plus this slot's jitter)
   * @param domainLimit null for no domain rule
   */
  Instant find(Duration before, UnaryOperator<Instant> openAt, String domain, Integer domainLimit) {
    // The first read takes the domain lock (when there is one) before any domain rule read.
    counts();
    Instant candidate = ceilMicros(now);
    // Each round asks the rules in turn, cheapest first, and starts over as soon as one moves
    // the candidate: a day that is full is skipped before its slots are walked.
    for (int round = 0; round < MAX_ROUNDS && !candidate.isAfter(horizon); round++) {
      Instant next = ceilMicros(openAt.apply(candidate));
      if (next.isAfter(candidate)) {
        candidate = next;
        continue;
      }
      next = roomOnDay(candidate);
      if (next.isAfter(candidate)) {
        candidate = next;
        continue;
      }
      next = gap(candidate, before);
      if (next.isAfter(candidate)) {
        candidate = next;
        continue;
      }
      if (domainLimit != null) {
        next = domain(candidate, domain, domainLimit);
        if (next.isAfter(candidate)) {
          candidate = next;
          continue;
        }
      }
      return candidate;
    }
    throw new CapacityExhaustedException(
        "mailbox "
            + limits.mailboxId()
            + " has no slot within "
            + MailboxCapacityStore.HORIZON.toDays()
            + " days after "
            + now
            + " that satisfies its cap and gap, the domain limit and the lead's window");
  }

  /** {@code at}, or the start of the next day when the cap of {@code at}'s day is reached. */
  private Instant roomOnDay(Instant at) {
    LocalDate day = limits.dayOf(at);
    if (counts().getOrDefault(day, 0) < limits.capOn(day)) {
      return at;
    }
    return limits.startOf(day.plusDays(1));
  }

  /**
   * {@code at} when no slot of the mailbox lies in {@code (at - before, at + minGap)}; otherwise a
   * later instant no later than the start of the first hole that is wide enough (every instant
   * before that hole is too close to some slot).
   *
   * <p>It walks the mailbox's slots in time order from the first that could conflict, moving past
   * each conflicting one, and stops at the first slot that is far enough ahead, or once it has left
   * {@code at}'s day (whose cap the next round checks first). The slots are read a day at a time
   * and kept for the rest of the search: the mailbox is locked, so they cannot change.
   */
  private Instant gap(Instant at, Duration before) {
    Duration after = limits.minGap();
    if (before.isZero() && after.isZero()) {
      return at;
    }
    Instant dayEnd = limits.startOf(limits.dayOf(at).plusDays(1));
    Instant candidate = at;
    while (true) {
      Instant low = candidate.minus(before);
      Instant high = candidate.plus(after);
      readSlots(low, high);
      Instant conflict = slots.higherKey(low);
      if (conflict == null || !conflict.isBefore(high)) {
        return candidate;
      }
      candidate = conflict.plus(before);
      if (!candidate.isBefore(dayEnd)) {
        return candidate;
      }
    }
  }

  /** Reads the mailbox's slots on every day from {@code from}'s to {@code to}'s, once each. */
  private void readSlots(Instant from, Instant to) {
    LocalDate last = limits.dayOf(to);
    for (LocalDate day = limits.dayOf(from); !day.isAfter(last); day = day.plusDays(1)) {
      if (!slotDays.add(day)) {
        continue;
      }
      jdbc.sql(
              "select slot_at from mailbox_reservations"
                  + " where client_id = :client and mailbox_id = :mailbox"
                  + " and status <> 'RELEASED' and slot_at >= :from and slot_at < :to")
          .param("client", clientId)
          .param("mailbox", limits.mailboxId())
          .param("from", CapacityRows.timestamp(limits.startOf(day)))
          .param("to", CapacityRows.timestamp(limits.startOf(day.plusDays(1))))
          .query(
              (RowCallbackHandler)
                  rs -> slots.merge(CapacityRows.instant(rs, "slot_at"), 1, Integer::sum));
    }
  }

  /**
   * {@code at} when a slot there keeps every rolling hour containing it within {@code limit} slots
   * of the client to the domain; otherwise a later instant no later than the next one where it
   * does: after enough earlier slots leave its own hour, and after every later slot whose hour it
   * would overfill.
   */
  private Instant domain(Instant at, String domain, int limit) {
    List<Instant> slots =
        jdbc.sql(
                "select slot_at from mailbox_reservations"
                    + " where client_id = :client and recipient_domain = :domain"
                    + " and status <> 'RELEASED' and slot_at > :from and slot_at < :to"
                    + " order by slot_at")
            .param("client", clientId)
            .param("domain", domain)
            .param("from", CapacityRows.timestamp(at.minus(HOUR)))
            .param("to", CapacityRows.timestamp(at.plus(HOUR)))
            .query((rs, n) -> CapacityRows.instant(rs, "slot_at"))
            .list();
    List<Instant> before = new ArrayList<>();
    for (Instant slot : slots) {
      if (!slot.isAfter(at)) {
        before.add(slot);
      }
    }
    Instant next = at;
    int excess = before.size() + 1 - limit;
    if (excess > 0) {
      // The hour ending at the new slot holds it and every earlier slot within the hour; it
      // fits once the excess earliest ones have left that hour.
      next = max(next, before.get(excess - 1).plus(HOUR));
    }
    for (Instant later : slots) {
      if (!later.isAfter(at)) {
        continue;
      }
      int inHour = 1;
      for (Instant slot : slots) {
        if (slot.isAfter(later.minus(HOUR)) && !slot.isAfter(later)) {
          inHour++;
        }
      }
      if (inHour > limit) {
        // Any instant up to this later slot would be in the hour that ends at it.
        next = max(next, later.plus(MICROSECOND));
      }
    }
    return next;
  }

  private Map<LocalDate, Integer> counts() {
    if (dayCounts == null) {
      Map<LocalDate, Integer> counts = new HashMap<>();
      // The domain lock is taken in the same statement (it needs no snapshot of its own); the
      // domain rule's reads are later statements, so they see every reservation made before it.
      String lock =
          domainLockKey == null
              ? ""
              : "with domain_lock as materialized"
                  + " (select pg_advisory_xact_lock(hashtextextended(:key, 0)))";
      jdbc.sql(
              lock
                  + " select cap_day, reserved from mailbox_day_counts"
                  + (domainLockKey == null ? "" : ", domain_lock")
                  + " where client_id = :client and mailbox_id = :mailbox"
                  + " and cap_day between :from and :to")
          .param("key", domainLockKey == null ? "" : domainLockKey)
          .param("client", clientId)
          .param("mailbox", limits.mailboxId())
          .param("from", limits.dayOf(now))
          .param("to", limits.dayOf(horizon).plusDays(1))
          .query(
              (RowCallbackHandler)
                  rs ->
                      counts.put(rs.getObject("cap_day", LocalDate.class), rs.getInt("reserved")));
      dayCounts = counts;
    }
    return dayCounts;
  }

  /** PostgreSQL keeps microseconds; slots are rounded up to them so that they never move. */
  static Instant ceilMicros(Instant instant) {
    long rest = instant.getNano() % 1000;
    return rest == 0 ? instant : instant.plusNanos(1000 - rest);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
