package dev.outbound.crm.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.schedule.SendWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A property-style test of the reservations: more than 100,000 simulated sends from three clients'
 * campaigns through sixteen mailboxes (different caps, gaps, jitter, warm-ups and zones), by eight
 * concurrent workers on a simulated clock, with leads that stop or pause (releases) and repeated
 * reservations; then the database is checked for every rule and for how much of the capacity a
 * backlog used.
 *
 * <p>The simulated clock is each task's due time, passed to the store as {@code now}: a worker
 * takes the earliest task from a shared queue, reserves, and either sends at once (the slot has
 * come) or queues the lead again for its slot. Choices (stops, pauses, repeats) come from a hash of
 * the seed, lead and step, so the same leads stop in every run; the order in which concurrent
 * workers meet varies, and the rules must hold in every order.
 */
@SpringBootTest(classes = CapacitySimulationTest.App.class)
@Tag("slow")
@Tag("heavy")
class CapacitySimulationTest {

  @SpringBootApplication(scanBasePackages = "dev.outbound.crm")
  static class App {}

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
    registry.add("spring.datasource.hikari.maximum-pool-size", () -> "12");
  }

  static final long SEED = 20261123L;

  /**
   * Leads simulated: 37,500 (over 100,000 sends) for the full run; every {@code verify} runs a
   * third of that ({@code outbound.capacity.leads} in crm/pom.xml) to keep CI short. The checks
   * that depend on the size scale with it.
   */
  static final int LEADS = Integer.getInteger("outbound.capacity.leads", 37_500);

  private static final double SCALE = LEADS / 37_500.0;
  static final int WORKERS = 8;
  static final int STEPS = 3;

  /** The delay after step 1 and after step 2 is sent. */
  static final Duration[] DELAYS = {Duration.ofDays(2), Duration.ofDays(3)};

  /** A Monday; the weeks after it hold the US, EU and Australian DST changes and Easter. */
  static final Instant START = Instant.parse("2026-03-02T00:00:00Z");

  static final String[] ZONES = {
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Europe/London",
    "America/Los_Angeles",
    "Australia/Sydney"
  };
  static final String[] COUNTRIES = {"DE", "US", "JP", "GB", "US", "AU"};

  @Autowired JdbcClient jdbc;
  @Autowired MailboxCapacityStore store;

  /** A mailbox of the simulation. */
  record Box(
      int client,
      int cap,
      int gap,
      int jitter,
      String zone,
      Integer warmupStart,
      Integer warmupIncrease) {}

  /**
   * The mailboxes. Reservations of one mailbox are serialised by its lock, so the simulation, which
   * squeezes weeks of sending into minutes, spreads the capacity over enough mailboxes that none
   * takes much more than a tenth of the traffic.
   */
  static final Box[] BOXES = {
    new Box(0, 300, 20, 10, "UTC", null, null),
    new Box(0, 200, 30, 30, "Europe/Berlin", null, null),
    new Box(0, 120, 60, 30, "America/New_York", 40, 20),
    new Box(0, 80, 90, 60, "Asia/Tokyo", null, null),
    new Box(0, 150, 30, 20, "Europe/London", null, null),
    new Box(0, 100, 40, 20, "Europe/Berlin", null, null),
    new Box(1, 200, 15, 5, "America/Los_Angeles", null, null),
    new Box(1, 200, 20, 10, "America/Denver", null, null),
    new Box(1, 250, 20, 20, "Europe/London", 50, 25),
    new Box(1, 150, 45, 15, "Australia/Sydney", null, null),
    new Box(1, 120, 30, 30, "UTC", null, null),
    new Box(2, 175, 10, 20, "UTC", null, null),
    new Box(2, 175, 15, 10, "Europe/Paris", null, null),
    new Box(2, 100, 60, 60, "Europe/Berlin", null, null),
    new Box(2, 60, 120, 60, "America/Chicago", null, null),
    new Box(2, 120, 30, 10, "America/New_York", null, null),
  };

  /** A campaign of the simulation: its client, window, domain limit and share of the leads. */
  record Plan(int client, SendWindow window, Integer domainLimit, int[] pool) {}

  static final Plan[] PLANS = {
    new Plan(
        0, window("MON,TUE,WED,THU,FRI,SAT,SUN", 7, 21, false), 20, new int[] {0, 1, 2, 3, 4, 5}),
    new Plan(0, window("MON,TUE,WED,THU,FRI", 8, 18, true), 20, new int[] {0, 1, 4}),
    new Plan(
        1, window("MON,TUE,WED,THU,FRI,SAT,SUN", 6, 22, false), null, new int[] {6, 7, 8, 9, 10}),
    new Plan(
        1, window("MON,TUE,WED,THU,FRI,SAT,SUN", 8, 20, true), null, new int[] {6, 7, 8, 9, 10}),
    new Plan(
        2, window("MON,TUE,WED,THU,FRI,SAT,SUN", 7, 21, false), 12, new int[] {11, 12, 13, 14, 15}),
    new Plan(2, window("MON,TUE,WED,THU,FRI", 9, 17, true), 12, new int[] {11, 12, 13, 14, 15}),
  };

  static SendWindow window(String days, int from, int to, boolean skipHolidays) {
    return SendWindow.of(days, LocalTime.of(from, 0), LocalTime.of(to, 0), skipHolidays);
  }

  /** One lead of the simulation, with what the workers need to reserve for it. */
  static final class Lead {
    long client;
    long campaign;
    long enrolment;
    int plan;
    int zone;
    String domain;
    UnaryOperator<Instant> openAt;
    volatile long mailbox;
  }

  /** A task on the simulated clock. */
  record Task(Instant at, long order, int lead, int step, Kind kind, long reservation)
      implements Comparable<Task> {
    Task(Instant at, long order, int lead, int step, Kind kind) {
      this(at, order, lead, step, kind, 0);
    }

    @Override
    public int compareTo(Task other) {
      int byTime = at.compareTo(other.at);
      return byTime != 0 ? byTime : Long.compare(order, other.order);
    }
  }

  enum Kind {
    /** The step is due (first time, after a pause, or its slot has come): reserve. */
    RESERVE,
    /** The slot of a held reservation has come: mark it used and send, without reserving again. */
    SEND,
    /** The lead stops before its reserved slot: release everything it holds. */
    STOP,
    /** The lead pauses before its slot: release the step, reserve again later. */
    PAUSE
  }

  /** A send that happened: the lead, its step, when it fell due and its slot. */
  record Sent(int lead, int step, long mailbox, Instant dueAt, Instant slotAt) {}

  long[] clients = new long[3];
  long[] mailboxes = new long[BOXES.length];
  Map<Long, Integer> boxIndex = new HashMap<>();
  long[] campaigns = new long[PLANS.length];
  Lead[] leads;

  final PriorityBlockingQueue<Task> queue = new PriorityBlockingQueue<>();
  final AtomicLong order = new AtomicLong();
  final AtomicInteger pending = new AtomicInteger();
  final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
  final ConcurrentHashMap<Long, Boolean> sentSteps = new ConcurrentHashMap<>();
  final AtomicLong reserveCalls = new AtomicLong();
  final AtomicLong repeats = new AtomicLong();
  final AtomicLong repeatMismatches = new AtomicLong();
  final AtomicLong doubleSends = new AtomicLong();
  final AtomicLong stops = new AtomicLong();
  final AtomicLong pauses = new AtomicLong();
  final AtomicLong released = new AtomicLong();
  final AtomicLong exhausted = new AtomicLong();

  /** Nanoseconds spent in the store's calls, summed over the workers, and the calls counted. */
  final AtomicLong reserveNanos = new AtomicLong();

  final AtomicLong pickNanos = new AtomicLong();
  final AtomicLong picks = new AtomicLong();
  final AtomicLong markNanos = new AtomicLong();
  final AtomicLong marks = new AtomicLong();

  @Test
  void capsGapsAndDomainLimitsHoldWhileABacklogUsesTheCapacity() throws Exception {
    long setupStarted = System.nanoTime();
    setUp();
    long simulationStarted = System.nanoTime();
    run();
    long simulationEnded = System.nanoTime();
    Report report = check();
    long checkEnded = System.nanoTime();

    System.out.printf(
        "capacity simulation: %d sends, %d reserve calls (%d repeated, %d mismatched), %d stops,"
            + " %d pauses, %d slots released, %d exhausted%n",
        sent.size(),
        reserveCalls.get(),
        repeats.get(),
        repeatMismatches.get(),
        stops.get(),
        pauses.get(),
        released.get(),
        exhausted.get());
    System.out.printf(
        "capacity simulation: violations: daily cap %d, min gap %d, domain limit %d, window %d,"
            + " duplicate steps %d (double sends %d), day counts %d, cap day %d%n",
        report.capViolations,
        report.gapViolations,
        report.domainViolations,
        report.windowViolations,
        report.duplicateSteps,
        doubleSends.get(),
        report.countMismatches,
        report.capDayMismatches);
    System.out.printf(
        "capacity simulation: utilisation while backlogged %.2f %% (%d sent of %d capacity over %d"
            + " mailbox-days); days at cap %d; domain hours at the limit %d; last send %s%n",
        100.0 * report.backlogUsed / report.backlogCapacity,
        report.backlogUsed,
        report.backlogCapacity,
        report.backlogDays,
        report.daysAtCap,
        report.hoursAtDomainLimit,
        report.lastSlot);
    System.out.printf(
        "capacity simulation: wall time setup %.1f s, simulation %.1f s, checks %.1f s%n",
        (simulationStarted - setupStarted) / 1e9,
        (simulationEnded - simulationStarted) / 1e9,
        (checkEnded - simulationEnded) / 1e9);

    System.out.printf(
        "capacity simulation: mean latency reserve %.2f ms, markUsed %.2f ms, pickMailbox %.2f ms"
            + " (%d workers; lock waits included)%n",
        reserveNanos.get() / 1e6 / reserveCalls.get(),
        markNanos.get() / 1e6 / Math.max(1, marks.get()),
        pickNanos.get() / 1e6 / Math.max(1, picks.get()),
        WORKERS);

    assertThat(sent.size()).isGreaterThanOrEqualTo((int) (100_000 * SCALE));
    assertThat(repeatMismatches.get()).isZero();
    assertThat(doubleSends.get()).isZero();
    assertThat(exhausted.get()).isZero();
    assertThat(report.capViolations).isZero();
    assertThat(report.gapViolations).isZero();
    assertThat(report.domainViolations).isZero();
    assertThat(report.windowViolations).isZero();
    assertThat(report.duplicateSteps).isZero();
    assertThat(report.countMismatches).isZero();
    assertThat(report.capDayMismatches).isZero();
    // The run must have pressed on every rule, or the zeros above say little.
    assertThat(report.daysAtCap).isGreaterThan((int) (100 * SCALE));
    assertThat(report.hoursAtDomainLimit).isGreaterThan(0);
    assertThat(released.get()).isGreaterThan((int) (1000 * SCALE));
    assertThat(report.backlogDays).isGreaterThan((int) (200 * SCALE));
    assertThat((double) report.backlogUsed / report.backlogCapacity).isGreaterThanOrEqualTo(0.95);
  }

  // ---------------------------------------------------------------------------------------------
  // Set-up: clients, mailboxes, campaigns, and the leads, with SQL in bulk.

  void setUp() {
    String run = Long.toString(System.nanoTime());
    for (int c = 0; c < clients.length; c++) {
      clients[c] =
          jdbc.sql("insert into clients (slug, name) values (:slug, :slug) returning id")
              .param("slug", "sim-" + c + "-" + run)
              .query(Long.class)
              .single();
    }
    for (int b = 0; b < BOXES.length; b++) {
      Box box = BOXES[b];
      mailboxes[b] =
          jdbc.sql(
                  "insert into mailboxes (client_id, email, display_name, smtp_host, smtp_port,"
                      + " smtp_tls, daily_cap, min_gap_seconds, jitter_seconds, timezone,"
                      + " warmup_start_cap, warmup_daily_increase, warmup_started_on)"
                      + " values (:client, :email, 'Sim', 'localhost', 25, false, :cap, :gap,"
                      + " :jitter, :zone, :warmup, :increase, :started) returning id")
              .param("client", clients[box.client])
              .param("email", "box" + b + "@sim.test")
              .param("cap", box.cap)
              .param("gap", box.gap)
              .param("jitter", box.jitter)
              .param("zone", box.zone)
              .param("warmup", box.warmupStart)
              .param("increase", box.warmupIncrease)
              .param("started", box.warmupStart == null ? null : LocalDate.of(2026, 3, 1))
              .query(Long.class)
              .single();
      boxIndex.put(mailboxes[b], b);
    }
    for (int p = 0; p < PLANS.length; p++) {
      Plan plan = PLANS[p];
      long client = clients[plan.client];
      campaigns[p] =
          jdbc.sql(
                  "insert into campaigns (client_id, name, timezone, status, window_days,"
                      + " window_start, window_end, skip_holidays, domain_hourly_limit)"
                      + " values (:client, :name, 'UTC', 'ACTIVE', :days, :start, :end, :skip,"
                      + " :limit) returning id")
              .param("client", client)
              .param("name", "Sim " + p)
              .param("days", plan.window.daysText())
              .param("start", plan.window.start())
              .param("end", plan.window.end())
              .param("skip", plan.window.skipHolidays())
              .param("limit", plan.domainLimit)
              .query(Long.class)
              .single();
      for (int b : plan.pool) {
        jdbc.sql(
                "insert into campaign_mailboxes (client_id, campaign_id, mailbox_id)"
                    + " values (:client, :campaign, :mailbox)")
            .param("client", client)
            .param("campaign", campaigns[p])
            .param("mailbox", mailboxes[b])
            .update();
      }
    }
    // Leads are spread over the campaigns by their number; a third (client A) and a fifth
    // (client C) of each client's leads write to one popular domain, which the domain limit then
    // has to hold back.
    leads = new Lead[LEADS];
    for (int p = 0; p < PLANS.length; p++) {
      Plan plan = PLANS[p];
      long client = clients[plan.client];
      int hotShare = plan.client == 0 ? 33 : plan.client == 2 ? 20 : 10;
      List<Integer> numbers = new ArrayList<>();
      for (int i = p; i < LEADS; i += PLANS.length) {
        numbers.add(i);
      }
      List<Object[]> rows = new ArrayList<>();
      for (int i : numbers) {
        Lead lead = new Lead();
        lead.client = client;
        lead.campaign = campaigns[p];
        lead.plan = p;
        lead.zone = (int) (hash(i, 0, 1) % ZONES.length);
        lead.domain =
            hash(i, 0, 2) % 100 < hotShare
                ? "popular" + plan.client + ".test"
                : "d" + hash(i, 0, 3) % 3000 + ".test";
        lead.openAt = plan.window.openAt(ZoneId.of(ZONES[lead.zone]), COUNTRIES[lead.zone]);
        leads[i] = lead;
        rows.add(
            new Object[] {
              client, "lead" + i + "@" + lead.domain, ZONES[lead.zone], COUNTRIES[lead.zone]
            });
      }
      List<Long> leadIds = insertLeads(rows);
      List<Long> enrolmentIds = enrol(client, campaigns[p], leadIds);
      for (int k = 0; k < numbers.size(); k++) {
        leads[numbers.get(k)].enrolment = enrolmentIds.get(k);
      }
    }
  }

  List<Long> insertLeads(List<Object[]> rows) {
    List<Long> ids = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += 2000) {
      List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + 2000));
      Long[] clientIds = new Long[chunk.size()];
      String[] emails = new String[chunk.size()];
      String[] zones = new String[chunk.size()];
      String[] countries = new String[chunk.size()];
      for (int k = 0; k < chunk.size(); k++) {
        clientIds[k] = (Long) chunk.get(k)[0];
        emails[k] = (String) chunk.get(k)[1];
        zones[k] = (String) chunk.get(k)[2];
        countries[k] = (String) chunk.get(k)[3];
      }
      // RETURNING promises no order, so the IDs are matched back by address.
      Map<String, Long> byEmail = new HashMap<>();
      jdbc.sql(
              "insert into leads (client_id, email, timezone, country)"
                  + " select c, e, z, n from unnest(:clients, :emails, :zones, :countries)"
                  + " as t(c, e, z, n) returning id, email")
          .param("clients", clientIds)
          .param("emails", emails)
          .param("zones", zones)
          .param("countries", countries)
          .query((RowCallbackHandler) rs -> byEmail.put(rs.getString(2), rs.getLong(1)));
      for (String email : emails) {
        ids.add(byEmail.get(email));
      }
    }
    return ids;
  }

  List<Long> enrol(long client, long campaign, List<Long> leadIds) {
    Map<Long, Long> byLead = new HashMap<>();
    jdbc.sql(
            "insert into enrolments (client_id, campaign_id, lead_id, status)"
                + " select :client, :campaign, l, 'ACTIVE' from unnest(:leads) as t(l)"
                + " returning id, lead_id")
        .param("client", client)
        .param("campaign", campaign)
        .param("leads", leadIds.toArray(new Long[0]))
        .query((RowCallbackHandler) rs -> byLead.put(rs.getLong(2), rs.getLong(1)));
    List<Long> ids = new ArrayList<>();
    for (Long lead : leadIds) {
      ids.add(byLead.get(lead));
    }
    return ids;
  }

  // ---------------------------------------------------------------------------------------------
  // The simulation.

  void run() throws Exception {
    for (int i = 0; i < LEADS; i++) {
      // Step 1 of every lead falls due in the first two days: a backlog of about 15 days.
      Instant due = START.plusSeconds(hash(i, 1, 4) % (2 * 86_400));
      enqueue(new Task(due, order.incrementAndGet(), i, 1, Kind.RESERVE));
    }
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      done.add(workers.submit(this::work));
    }
    for (Future<?> future : done) {
      future.get();
    }
    workers.shutdown();
  }

  void enqueue(Task task) {
    pending.incrementAndGet();
    queue.add(task);
  }

  Void work() throws InterruptedException {
    while (pending.get() > 0) {
      Task task = queue.poll(20, TimeUnit.MILLISECONDS);
      if (task == null) {
        continue;
      }
      try {
        handle(task);
      } finally {
        pending.decrementAndGet();
      }
    }
    return null;
  }

  void handle(Task task) {
    Lead lead = leads[task.lead];
    switch (task.kind) {
      case STOP -> {
        released.addAndGet(store.releaseAllOf(lead.client, lead.enrolment));
        return;
      }
      case PAUSE -> {
        if (store.release(lead.client, lead.campaign, lead.enrolment, task.step)) {
          released.incrementAndGet();
        }
        // The step falls due again when the lead resumes, within a day; it pauses only once.
        firstDue.remove(lead.enrolment * 10 + task.step);
        Instant resume = task.at.plusSeconds(hash(task.lead, task.step, 5) % 86_400);
        enqueue(
            new Task(resume, order.incrementAndGet(), task.lead, task.step, Kind.RESERVE, RESUMED));
        return;
      }
      case RESERVE -> reserveAndSend(task, lead);
      case SEND -> send(task, lead, new Reservation(task.reservation, task.at, lead.mailbox, null));
      default -> throw new IllegalStateException();
    }
  }

  void reserveAndSend(Task task, Lead lead) {
    Instant now = task.at;
    if (lead.mailbox == 0) {
      long t0 = System.nanoTime();
      lead.mailbox = store.pickMailbox(lead.client, lead.campaign, now).orElseThrow();
      pickNanos.addAndGet(System.nanoTime() - t0);
      picks.incrementAndGet();
    }
    Plan plan = PLANS[lead.plan];
    ReservationRequest request =
        new ReservationRequest(
            lead.client,
            lead.campaign,
            lead.enrolment,
            task.step,
            lead.mailbox,
            lead.domain,
            plan.domainLimit,
            now,
            lead.openAt);
    Reservation reservation;
    try {
      reserveCalls.incrementAndGet();
      long t0 = System.nanoTime();
      reservation = store.reserve(request);
      reserveNanos.addAndGet(System.nanoTime() - t0);
    } catch (CapacityExhaustedException e) {
      exhausted.incrementAndGet();
      enqueue(
          new Task(
              now.plus(Duration.ofDays(1)),
              order.incrementAndGet(),
              task.lead,
              task.step,
              Kind.RESERVE));
      return;
    }
    if (hash(task.lead, task.step, 6) % 100 < 5) {
      // A retried activity reserves again at once: it must get the same reservation back.
      repeats.incrementAndGet();
      reserveCalls.incrementAndGet();
      if (!store.reserve(request).equals(reservation)) {
        repeatMismatches.incrementAndGet();
      }
    }
    if (reservation.isDue(now)) {
      send(task, lead, reservation);
      return;
    }
    firstDue.putIfAbsent(lead.enrolment * 10 + task.step, now);
    long roll = hash(task.lead, task.step, 8) % 1000;
    long waitSeconds = Duration.between(now, reservation.slotAt()).getSeconds();
    Instant before = now.plusSeconds(hash(task.lead, task.step, 9) % Math.max(1, waitSeconds));
    if (task.reservation == RESUMED) {
      roll = 1000;
    }
    if (roll < 20) {
      // The lead replies while it waits for its slot: the slot is given back.
      stops.incrementAndGet();
      enqueue(new Task(before, order.incrementAndGet(), task.lead, task.step, Kind.STOP));
    } else if (roll < 40) {
      pauses.incrementAndGet();
      enqueue(new Task(before, order.incrementAndGet(), task.lead, task.step, Kind.PAUSE));
    } else {
      // Wait for the slot. One in five waiting leads reserves again when it comes (and must get
      // the same slot back); the others mark the reservation they hold used directly.
      boolean again = hash(task.lead, task.step, 10) % 5 == 0;
      enqueue(
          new Task(
              reservation.slotAt(),
              order.incrementAndGet(),
              task.lead,
              task.step,
              again ? Kind.RESERVE : Kind.SEND,
              reservation.id()));
    }
  }

  /** The slot has come: mark the reservation used (as the send claim does) and send. */
  void send(Task task, Lead lead, Reservation reservation) {
    long t0 = System.nanoTime();
    boolean ok = store.markUsed(lead.client, reservation.id());
    markNanos.addAndGet(System.nanoTime() - t0);
    marks.incrementAndGet();
    if (!ok) {
      return;
    }
    if (sentSteps.putIfAbsent(lead.enrolment * 10 + task.step, Boolean.TRUE) != null) {
      doubleSends.incrementAndGet();
    }
    sent.add(new Sent(task.lead, task.step, lead.mailbox, dueAt(task), reservation.slotAt()));
    // After a send, one lead in twenty replies and the sequence ends there.
    if (task.step < STEPS && hash(task.lead, task.step, 7) % 100 >= 5) {
      enqueue(
          new Task(
              reservation.slotAt().plus(DELAYS[task.step - 1]),
              order.incrementAndGet(),
              task.lead,
              task.step + 1,
              Kind.RESERVE));
    }
  }

  final ConcurrentHashMap<Long, Instant> firstDue = new ConcurrentHashMap<>();

  /** Marks the reservation of a step whose lead paused and resumed. */
  static final long RESUMED = -1;

  Instant dueAt(Task task) {
    Instant first = firstDue.get(leads[task.lead].enrolment * 10 + task.step);
    return first == null ? task.at : first;
  }

  // ---------------------------------------------------------------------------------------------
  // The checks, from the database.

  static final class Report {
    long capViolations;
    long gapViolations;
    long domainViolations;
    long windowViolations;
    long duplicateSteps;
    long countMismatches;
    long capDayMismatches;
    long daysAtCap;
    long hoursAtDomainLimit;
    long backlogUsed;
    long backlogCapacity;
    long backlogDays;
    Instant lastSlot = START;
  }

  record Row(
      long id,
      long client,
      long campaign,
      long enrolment,
      int step,
      long mailbox,
      Instant slot,
      LocalDate capDay,
      String domain,
      String status) {}

  Report check() {
    Report report = new Report();
    List<Row> rows = new ArrayList<>();
    jdbc.sql(
            "select id, client_id, campaign_id, enrolment_id, step_index, mailbox_id, slot_at,"
                + " cap_day, recipient_domain, status from mailbox_reservations"
                + " where status <> 'RELEASED'")
        .query(
            (RowCallbackHandler)
                rs ->
                    rows.add(
                        new Row(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getInt(5),
                            rs.getLong(6),
                            rs.getObject(7, OffsetDateTime.class).toInstant(),
                            rs.getObject(8, LocalDate.class),
                            rs.getString(9),
                            rs.getString(10))));
    report.duplicateSteps =
        jdbc.sql(
                "select count(*) from (select 1 from mailbox_reservations"
                    + " group by campaign_id, enrolment_id, step_index having count(*) > 1) d")
            .query(Long.class)
            .single();
    Map<Long, Integer> leadOfEnrolment = new HashMap<>();
    for (int i = 0; i < LEADS; i++) {
      leadOfEnrolment.put(leads[i].enrolment, i);
    }

    // Daily caps, and each row's day in its mailbox's zone.
    MailboxLimits[] limits = new MailboxLimits[BOXES.length];
    for (int b = 0; b < BOXES.length; b++) {
      Box box = BOXES[b];
      limits[b] =
          new MailboxLimits(
              mailboxes[b],
              box.cap,
              Duration.ofSeconds(box.gap),
              Duration.ofSeconds(box.jitter),
              box.warmupStart,
              box.warmupIncrease,
              box.warmupStart == null ? null : LocalDate.of(2026, 3, 1),
              ZoneId.of(box.zone));
    }
    Map<Integer, Map<LocalDate, Integer>> perDay = new HashMap<>();
    Map<Integer, List<Instant>> slotsOfBox = new HashMap<>();
    Map<String, List<Instant>> slotsOfDomain = new HashMap<>();
    for (Row row : rows) {
      int b = boxIndex.get(row.mailbox);
      if (!limits[b].dayOf(row.slot).equals(row.capDay)) {
        report.capDayMismatches++;
      }
      perDay.computeIfAbsent(b, k -> new HashMap<>()).merge(row.capDay, 1, Integer::sum);
      slotsOfBox.computeIfAbsent(b, k -> new ArrayList<>()).add(row.slot);
      slotsOfDomain
          .computeIfAbsent(row.client + " " + row.domain, k -> new ArrayList<>())
          .add(row.slot);
      Lead lead = leads[leadOfEnrolment.get(row.enrolment)];
      if (row.status.equals("USED")
          && !PLANS[lead.plan].window.isOpen(
              row.slot, ZoneId.of(ZONES[lead.zone]), COUNTRIES[lead.zone])) {
        report.windowViolations++;
      }
      if (row.slot.isAfter(report.lastSlot)) {
        report.lastSlot = row.slot;
      }
    }
    for (var entry : perDay.entrySet()) {
      for (var day : entry.getValue().entrySet()) {
        int cap = limits[entry.getKey()].capOn(day.getKey());
        if (day.getValue() > cap) {
          report.capViolations++;
        }
        if (day.getValue() == cap) {
          report.daysAtCap++;
        }
      }
    }
    // The kept day counts agree with the rows.
    Map<String, Integer> kept = new HashMap<>();
    jdbc.sql("select mailbox_id, cap_day, reserved from mailbox_day_counts where reserved > 0")
        .query(
            (RowCallbackHandler)
                rs ->
                    kept.put(rs.getLong(1) + " " + rs.getObject(2, LocalDate.class), rs.getInt(3)));
    Map<String, Integer> counted = new HashMap<>();
    for (var entry : perDay.entrySet()) {
      for (var day : entry.getValue().entrySet()) {
        counted.put(mailboxes[entry.getKey()] + " " + day.getKey(), day.getValue());
      }
    }
    report.countMismatches = kept.equals(counted) ? 0 : Math.max(1, diff(kept, counted));

    // Minimum gaps between consecutive slots of a mailbox.
    for (var entry : slotsOfBox.entrySet()) {
      List<Instant> slots = entry.getValue();
      slots.sort(null);
      Duration gap = Duration.ofSeconds(BOXES[entry.getKey()].gap);
      for (int k = 1; k < slots.size(); k++) {
        if (Duration.between(slots.get(k - 1), slots.get(k)).compareTo(gap) < 0) {
          report.gapViolations++;
        }
      }
    }
    // Domain limits: the hour ending at each slot holds at most the limit.
    for (var entry : slotsOfDomain.entrySet()) {
      int client = clientIndex(Long.parseLong(entry.getKey().split(" ")[0]));
      Integer limit = client == 0 ? Integer.valueOf(20) : client == 2 ? Integer.valueOf(12) : null;
      if (limit == null) {
        continue;
      }
      List<Instant> slots = entry.getValue();
      slots.sort(null);
      int first = 0;
      for (int k = 0; k < slots.size(); k++) {
        while (!slots.get(first).isAfter(slots.get(k).minus(Duration.ofHours(1)))) {
          first++;
        }
        int inHour = k - first + 1;
        if (inHour > limit) {
          report.domainViolations++;
        }
        if (inHour == limit) {
          report.hoursAtDomainLimit++;
        }
      }
    }
    utilisation(report, limits);
    return report;
  }

  /**
   * How much of the capacity the backlog used. A mailbox's day counts as backlogged when at least
   * its cap of the sends that went out later had been due before the day began and could have gone
   * out that day: the lead's window was open for at least four hours of it, and the lead was not to
   * a popular domain that the domain limit holds back. On such a day every slot up to the cap could
   * have been used.
   */
  void utilisation(Report report, MailboxLimits[] limits) {
    Map<String, Integer> waiting = new HashMap<>();
    Map<String, Integer> used = new HashMap<>();
    Map<String, Boolean> openDays = new HashMap<>();
    for (Sent send : sent) {
      int b = boxIndex.get(send.mailbox);
      MailboxLimits box = limits[b];
      LocalDate slotDay = box.dayOf(send.slotAt);
      used.merge(b + " " + slotDay, 1, Integer::sum);
      Lead lead = leads[send.lead];
      if (PLANS[lead.plan].domainLimit != null && lead.domain.startsWith("popular")) {
        continue;
      }
      LocalDate day = box.dayOf(send.dueAt).plusDays(1);
      for (; day.isBefore(slotDay); day = day.plusDays(1)) {
        LocalDate d = day;
        boolean open =
            openDays.computeIfAbsent(
                lead.plan + " " + lead.zone + " " + b + " " + d,
                k -> openHours(PLANS[lead.plan].window, lead.zone, box, d) >= 4);
        if (open) {
          waiting.merge(b + " " + d, 1, Integer::sum);
        }
      }
    }
    for (var entry : waiting.entrySet()) {
      String[] key = entry.getKey().split(" ");
      int b = Integer.parseInt(key[0]);
      LocalDate day = LocalDate.parse(key[1]);
      int cap = limits[b].capOn(day);
      if (limits[b].startOf(day).isBefore(START) || entry.getValue() < cap) {
        continue;
      }
      report.backlogDays++;
      report.backlogCapacity += cap;
      report.backlogUsed += used.getOrDefault(entry.getKey(), 0);
    }
  }

  static int openHours(SendWindow window, int zone, MailboxLimits box, LocalDate day) {
    int open = 0;
    Instant at = box.startOf(day).plus(Duration.ofMinutes(30));
    Instant end = box.startOf(day.plusDays(1));
    for (; at.isBefore(end); at = at.plus(Duration.ofHours(1))) {
      if (window.isOpen(at, ZoneId.of(ZONES[zone]), COUNTRIES[zone])) {
        open++;
      }
    }
    return open;
  }

  int clientIndex(long id) {
    for (int c = 0; c < clients.length; c++) {
      if (clients[c] == id) {
        return c;
      }
    }
    throw new IllegalArgumentException();
  }

  static int diff(Map<String, Integer> a, Map<String, Integer> b) {
    int n = 0;
    for (var entry : a.entrySet()) {
      if (!entry.getValue().equals(b.get(entry.getKey()))) {
        n++;
      }
    }
    for (String key : b.keySet()) {
      if (!a.containsKey(key)) {
        n++;
      }
    }
    return n;
  }

  /** A well-mixed, reproducible non-negative number from the seed and three values. */
  static long hash(long a, long b, long c) {
    long h = SEED;
    for (long v : new long[] {a, b, c}) {
      h ^= v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2);
      h *= 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    return h & Long.MAX_VALUE;
  }
}
