package dev.outbound.crm.capacity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mailbox capacity held in PostgreSQL: reservations of send slots that keep every mailbox's daily
 * cap and minimum gap, and every client's per-recipient-domain hourly limit, across all workers and
 * crashes.
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
 * instant where all hold, and stops after {@link #HORIZON} with {@link CapacityExhaustedException}.
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
 *
 * <h2>Concurrency</h2>
 *
 * A reservation locks its mailbox's row, and (after it) an advisory lock on (client, recipient
 * domain), so reservations of one mailbox, and reservations of one client to one domain, are
 * serialised; the searches run after the locks, so in read-committed transactions they see every
 * earlier reservation. Releasing only lowers counts and needs no lock for the rules to hold. Per
 * mailbox and day the table {@code mailbox_day_counts} counts the reservations that hold capacity,
 * changed in the same transaction as the reservations, so that finding the first day with room
 * reads one row per day. A reservation takes about six statements while it holds the mailbox's
 * lock: lock and look up, domain lock and day counts, the day's slots, the domain's slots around
 * the candidate, insert and count.
 *
 * <h2>For callers</h2>
 *
 * Call {@link #reserve} when the step is due and again when its slot comes (it answers the same
 * reservation); {@link #markUsed} in the transaction that claims the send, before SMTP; {@link
 * #releaseAllOf} when the lead stops and {@link #release} when it pauses. Deadlocks cannot arise
 * between these: a reservation takes one mailbox lock and then one domain lock, and releases take
 * no mailbox lock and lower day counts in one order.
 *
 * <p>Every statement filters on {@code client_id}, as everywhere in the CRM.
 */
@Repository
public class MailboxCapacityStore {

  /** How far after {@code now} a reservation looks for a slot before it gives up. */
  public static final Duration HORIZON = Duration.ofDays(60);

  /** A bound on the search's rounds, far above what the horizon allows in practice. */
  static final int MAX_ROUNDS = 100_000;

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration MICROSECOND = Duration.of(1, ChronoUnit.MICROS);

  private static final String RESERVATION_COLUMNS = "id, slot_at, mailbox_id, status";

  private final JdbcClient jdbc;

  public MailboxCapacityStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Reserves the earliest slot for one step of one lead (see the class description for the rules),
   * or returns the reservation the step already holds, unchanged, so that a retry or a second call
   * after waiting for the slot gets the same slot. A step whose reservation was released gets a new
   * slot.
   *
   * <p>Callers send when {@link Reservation#isDue} at their {@code now}; otherwise they wait until
   * {@link Reservation#slotAt} and call again.
   *
   * @throws IllegalArgumentException when the mailbox is not the client's
   * @throws CapacityExhaustedException when no slot exists within {@link #HORIZON}
   * @throws IllegalStateException when the lead's window never opens (from {@code openAt})
   */
  @Transactional
  public Reservation reserve(ReservationRequest request) {
    // One statement locks the mailbox's row and reads the reservation the step holds, if any.
    Locked locked =
        jdbc.sql(
                "select m.id, m.daily_cap, m.min_gap_seconds, m.jitter_seconds,"
                    + " m.warmup_start_cap, m.warmup_daily_increase, m.warmup_started_on,"
                    + " m.timezone, r.id as held_id, r.slot_at as held_slot,"
                    + " r.mailbox_id as held_mailbox, r.status as held_status"
                    + " from mailboxes m left join mailbox_reservations r"
                    + " on r.client_id = m.client_id and r.campaign_id = :campaign"
                    + " and r.enrolment_id = :lead and r.step_index = :step"
                    + " and r.status <> 'RELEASED'"
                    + " where m.client_id = :client and m.id = :mailbox for update of m")
            .param("client", request.clientId())
            .param("campaign", request.campaignId())
            .param("lead", request.enrolmentId())
            .param("step", request.stepIndex())
            .param("mailbox", request.mailboxId())
            .query(
                (rs, n) ->
                    new Locked(
                        limits(rs, n),
                        rs.getObject("held_id") == null
                            ? null
                            : new Reservation(
                                rs.getLong("held_id"),
                                instant(rs, "held_slot"),
                                rs.getLong("held_mailbox"),
                                ReservationStatus.valueOf(rs.getString("held_status")))))
            .optional()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "mailbox " + request.mailboxId() + " is not this client's"));
    if (locked.held() != null) {
      return locked.held();
    }
    MailboxLimits limits = locked.limits();
    long jitterMicros = limits.jitter().toNanos() / 1000;
    Duration jitter =
        Duration.of(ThreadLocalRandom.current().nextLong(jitterMicros + 1), ChronoUnit.MICROS);
    Search search =
        new Search(
            request.clientId(),
            limits,
            request.now(),
            "outbound.domain:" + request.clientId() + ":" + request.recipientDomain());
    Instant slot =
        search.find(
            limits.minGap().plus(jitter),
            request.openAt(),
            request.recipientDomain(),
            request.domainHourlyLimit());
    LocalDate day = limits.dayOf(slot);
    // A concurrent reservation of the same step through another mailbox can win the unique key;
    // then the upsert changes nothing and the winner's reservation is the answer.
    Optional<Long> id =
        jdbc.sql(
                "with reserved as ("
                    + " insert into mailbox_reservations (client_id, campaign_id, enrolment_id,"
                    + " step_index, mailbox_id, slot_at, cap_day, recipient_domain)"
                    + " values (:client, :campaign, :lead, :step, :mailbox, :slot, :day, :domain)"
                    + " on conflict (campaign_id, enrolment_id, step_index) do update set"
                    + " mailbox_id = excluded.mailbox_id, slot_at = excluded.slot_at,"
                    + " cap_day = excluded.cap_day, recipient_domain = excluded.recipient_domain,"
                    + " status = 'RESERVED', created_at = now()"
                    + " where mailbox_reservations.status = 'RELEASED'"
                    + " and mailbox_reservations.client_id = excluded.client_id"
                    + " returning id, cap_day), counted as ("
                    + " insert into mailbox_day_counts (client_id, mailbox_id, cap_day, reserved)"
                    + " select :client, :mailbox, cap_day, 1 from reserved"
                    + " on conflict (mailbox_id, cap_day)"
                    + " do update set reserved = mailbox_day_counts.reserved + 1)"
                    + " select id from reserved")
            .param("client", request.clientId())
            .param("campaign", request.campaignId())
            .param("lead", request.enrolmentId())
            .param("step", request.stepIndex())
            .param("mailbox", request.mailboxId())
            .param("slot", timestamp(slot))
            .param("day", day)
            .param("domain", request.recipientDomain())
            .query(Long.class)
            .optional();
    if (id.isEmpty()) {
      return find(
              request.clientId(), request.campaignId(), request.enrolmentId(), request.stepIndex())
          .orElseThrow(
              () -> new IllegalStateException("the step's reservation belongs to another client"));
    }
    return new Reservation(id.get(), slot, request.mailboxId(), ReservationStatus.RESERVED);
  }

  /** The step's reservation that holds capacity (reserved or used), if any. */
  public Optional<Reservation> find(
      long clientId, long campaignId, long enrolmentId, int stepIndex) {
    return jdbc.sql(
            "select "
                + RESERVATION_COLUMNS
                + " from mailbox_reservations where client_id = :client"
                + " and campaign_id = :campaign and enrolment_id = :lead and step_index = :step"
                + " and status <> 'RELEASED'")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .param("step", stepIndex)
        .query(MailboxCapacityStore::reservation)
        .optional();
  }

  /**
   * Marks the reservation used: the send is happening. A plain statement that joins the caller's
   * transaction, so it commits (or not) with whatever the caller records about the send. Call it in
   * the transaction that claims the send, before the email goes to SMTP: a reservation released in
   * the meantime (the lead stopped) then answers false and the caller does not send, which keeps
   * the caps exact. Marking a used reservation again answers true.
   *
   * @return whether the reservation is now used; false when it is released or not the client's
   */
  public boolean markUsed(long clientId, long reservationId) {
    return jdbc.sql(
                "update mailbox_reservations set status = 'USED'"
                    + " where client_id = :client and id = :id and status <> 'RELEASED'")
            .param("client", clientId)
            .param("id", reservationId)
            .update()
        == 1;
  }

  /**
   * Gives back the step's reservation if it is still held (not used), so its capacity counts again,
   * e.g. when the lead pauses. A later {@link #reserve} of the step gets a new slot.
   *
   * @return whether a reservation was released
   */
  @Transactional
  public boolean release(long clientId, long campaignId, long enrolmentId, int stepIndex) {
    List<DayCount> released =
        jdbc.sql(
                "update mailbox_reservations set status = 'RELEASED'"
                    + " where client_id = :client and campaign_id = :campaign"
                    + " and enrolment_id = :lead and step_index = :step and status = 'RESERVED'"
                    + " returning mailbox_id, cap_day")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .param("step", stepIndex)
            .query(MailboxCapacityStore::dayCount)
            .list();
    uncount(clientId, released);
    return !released.isEmpty();
  }

  /**
   * Gives back every held (not used) reservation of the lead: a lead that stopped (replied,
   * bounced, unsubscribed, the campaign stopped) frees its future slots.
   *
   * @return how many reservations were released
   */
  @Transactional
  public int releaseAllOf(long clientId, long enrolmentId) {
    // Rows are locked in ID order first, so two releases of one lead cannot deadlock each other.
    List<DayCount> released =
        jdbc.sql(
                "update mailbox_reservations set status = 'RELEASED' where id in ("
                    + " select id from mailbox_reservations where client_id = :client"
                    + " and enrolment_id = :lead and status = 'RESERVED' order by id for update)"
                    + " and status = 'RESERVED' returning mailbox_id, cap_day")
            .param("client", clientId)
            .param("lead", enrolmentId)
            .query(MailboxCapacityStore::dayCount)
            .list();
    uncount(clientId, released);
    return released.size();
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
          new Search(clientId, limits, now, null)
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

  /**
   * The active mailbox of the campaign's pool that should take a new lead: the one with the least
   * work queued relative to its cap, that is the fewest reservations holding capacity from today on
   * (in each mailbox's zone) divided by today's cap (warm-up aware); the lowest ID on a tie.
   *
   * <p>With room today this is the mailbox with the most spare capacity in proportion to its cap;
   * under a backlog, where every mailbox is full today, it is the one whose queue empties first, so
   * backlogs stay even and every mailbox keeps working. Leads already assigned but waiting between
   * steps hold no reservation and are not counted: they are spread like the new ones were.
   *
   * @return empty when the pool has no active mailbox (or the campaign is not the client's)
   */
  @Transactional(readOnly = true)
  public Optional<Long> pickMailbox(long clientId, long campaignId, Instant now) {
    List<MailboxLimits> pool =
        jdbc.sql(
                "select m.id, m.daily_cap, m.min_gap_seconds, m.jitter_seconds,"
                    + " m.warmup_start_cap, m.warmup_daily_increase, m.warmup_started_on,"
                    + " m.timezone from campaign_mailboxes cm"
                    + " join mailboxes m on m.client_id = cm.client_id and m.id = cm.mailbox_id"
                    + " where cm.client_id = :client and cm.campaign_id = :campaign"
                    + " and m.status = 'ACTIVE' order by m.id")
            .param("client", clientId)
            .param("campaign", campaignId)
            .query(MailboxCapacityStore::limits)
            .list();
    if (pool.isEmpty()) {
      return Optional.empty();
    }
    Map<Long, MailboxLimits> byId = new HashMap<>();
    LocalDate earliestToday = null;
    for (MailboxLimits limits : pool) {
      byId.put(limits.mailboxId(), limits);
      LocalDate today = limits.dayOf(now);
      earliestToday =
          earliestToday == null || today.isBefore(earliestToday) ? today : earliestToday;
    }
    Map<Long, Long> queued = new HashMap<>();
    jdbc.sql(
            "select mailbox_id, cap_day, reserved from mailbox_day_counts"
                + " where client_id = :client and mailbox_id in (:mailboxes)"
                + " and cap_day >= :from")
        .param("client", clientId)
        .param("mailboxes", byId.keySet())
        .param("from", earliestToday)
        .query(
            (RowCallbackHandler)
                rs -> {
                  long mailbox = rs.getLong("mailbox_id");
                  LocalDate day = rs.getObject("cap_day", LocalDate.class);
                  if (!day.isBefore(byId.get(mailbox).dayOf(now))) {
                    queued.merge(mailbox, (long) rs.getInt("reserved"), Long::sum);
                  }
                });
    MailboxLimits best = null;
    double bestLoad = Double.MAX_VALUE;
    for (MailboxLimits limits : pool) {
      double load =
          (double) queued.getOrDefault(limits.mailboxId(), 0L) / limits.capOn(limits.dayOf(now));
      if (load < bestLoad) {
        best = limits;
        bestLoad = load;
      }
    }
    return Optional.of(best.mailboxId());
  }

  private Optional<MailboxLimits> limits(long clientId, long mailboxId) {
    return jdbc.sql(
            "select id, daily_cap, min_gap_seconds, jitter_seconds, warmup_start_cap,"
                + " warmup_daily_increase, warmup_started_on, timezone from mailboxes"
                + " where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", mailboxId)
        .query(MailboxCapacityStore::limits)
        .optional();
  }

  private void uncount(long clientId, List<DayCount> released) {
    // Counts are lowered in one order (mailbox, day), so concurrent releases cannot deadlock.
    TreeMap<DayCount, Integer> perDay = new TreeMap<>();
    for (DayCount day : released) {
      perDay.merge(day, 1, Integer::sum);
    }
    perDay.forEach(
        (day, n) ->
            jdbc.sql(
                    "update mailbox_day_counts set reserved = reserved - :n"
                        + " where client_id = :client and mailbox_id = :mailbox and cap_day = :day")
                .param("n", n)
                .param("client", clientId)
                .param("mailbox", day.mailboxId())
                .param("day", day.day())
                .update());
  }

  /** The search for one slot of one mailbox, with the day counts it read. */
  private final class Search {

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
    Search(long clientId, MailboxLimits limits, Instant now, String domainLockKey) {
      this.clientId = clientId;
      this.limits = limits;
      this.now = now;
      this.horizon = now.plus(HORIZON);
      this.domainLockKey = domainLockKey;
    }

    /**
     * The earliest instant from {@code now} where all rules hold.
     *
     * @param before the distance to keep after an earlier slot (gap plus this slot's jitter)
     * @param domainLimit null for no domain rule
     */
    Instant find(
        Duration before, UnaryOperator<Instant> openAt, String domain, Integer domainLimit) {
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
              + HORIZON.toDays()
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
     * {@code at} when no slot of the mailbox lies in {@code (at - before, at + minGap)}; otherwise
     * a later instant no later than the start of the first hole that is wide enough (every instant
     * before that hole is too close to some slot).
     *
     * <p>It walks the mailbox's slots in time order from the first that could conflict, moving past
     * each conflicting one, and stops at the first slot that is far enough ahead, or once it has
     * left {@code at}'s day (whose cap the next round checks first). The slots are read a day at a
     * time and kept for the rest of the search: the mailbox is locked, so they cannot change.
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
            .param("from", timestamp(limits.startOf(day)))
            .param("to", timestamp(limits.startOf(day.plusDays(1))))
            .query((RowCallbackHandler) rs -> slots.merge(instant(rs, "slot_at"), 1, Integer::sum));
      }
    }

    /**
     * {@code at} when a slot there keeps every rolling hour containing it within {@code limit}
     * slots of the client to the domain; otherwise a later instant no later than the next one where
     * it does: after enough earlier slots leave its own hour, and after every later slot whose hour
     * it would overfill.
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
              .param("from", timestamp(at.minus(HOUR)))
              .param("to", timestamp(at.plus(HOUR)))
              .query((rs, n) -> instant(rs, "slot_at"))
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
                        counts.put(
                            rs.getObject("cap_day", LocalDate.class), rs.getInt("reserved")));
        dayCounts = counts;
      }
      return dayCounts;
    }
  }

  private static Reservation reservation(ResultSet rs, int n) throws SQLException {
    return new Reservation(
        rs.getLong("id"),
        instant(rs, "slot_at"),
        rs.getLong("mailbox_id"),
        ReservationStatus.valueOf(rs.getString("status")));
  }

  private static MailboxLimits limits(ResultSet rs, int n) throws SQLException {
    return new MailboxLimits(
        rs.getLong("id"),
        rs.getInt("daily_cap"),
        Duration.ofSeconds(rs.getInt("min_gap_seconds")),
        Duration.ofSeconds(rs.getInt("jitter_seconds")),
        rs.getObject("warmup_start_cap", Integer.class),
        rs.getObject("warmup_daily_increase", Integer.class),
        rs.getObject("warmup_started_on", LocalDate.class),
        ZoneId.of(rs.getString("timezone")));
  }

  private static DayCount dayCount(ResultSet rs, int n) throws SQLException {
    return new DayCount(rs.getLong("mailbox_id"), rs.getObject("cap_day", LocalDate.class));
  }

  /** A locked mailbox's limits and the reservation the step already holds (null if none). */
  private record Locked(MailboxLimits limits, Reservation held) {}

  /** One mailbox's day, ordered by mailbox and then day. */
  private record DayCount(long mailboxId, LocalDate day) implements Comparable<DayCount> {
    @Override
    public int compareTo(DayCount other) {
      int byMailbox = Long.compare(mailboxId, other.mailboxId);
      return byMailbox != 0 ? byMailbox : day.compareTo(other.day);
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
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
