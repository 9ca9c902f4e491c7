package dev.outbound.crm.capacity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mailbox capacity held in PostgreSQL: reservations of send slots that keep every mailbox's daily
 * cap and minimum gap, and every client's per-recipient-domain hourly limit, across all workers and
 * crashes.
 *
 * <p>Where a slot goes (the rules it satisfies, and why holes between slots are reused) is {@link
 * SlotSearch}'s; a mailbox's capacity today, as the API shows it, is {@link MailboxUsageStore}'s.
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

  private static final String RESERVATION_COLUMNS = "id, slot_at, mailbox_id, status";

  private final JdbcClient jdbc;

  public MailboxCapacityStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Reserves the earliest slot for one step of one lead (see {@link SlotSearch} for the rules), or
   * returns the reservation the step already holds, unchanged, so that a retry or a second call
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
                        CapacityRows.limits(rs, n),
                        rs.getObject("held_id") == null
                            ? null
                            : new Reservation(
                                rs.getLong("held_id"),
                                CapacityRows.instant(rs, "held_slot"),
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
    SlotSearch search =
        new SlotSearch(
            jdbc,
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
            .param("slot", CapacityRows.timestamp(slot))
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
        .query(CapacityRows::reservation)
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
            .query(CapacityRows::limits)
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
}
