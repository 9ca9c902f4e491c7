package dev.outbound.launcher.bench;

import dev.outbound.launcher.EmbeddedStack;
import dev.outbound.launcher.LauncherApplication;
import dev.outbound.workflows.WorkflowIds;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark of DESIGN.md section 6: figures printed against a raw baseline measured in the same
 * run, never asserted. Runs only when asked for, with the number of leads as the property's value:
 *
 * <pre>
 * ./mvnw -B -pl launcher -am verify -Dtest=StartBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Doutbound.benchmark=10000
 * </pre>
 *
 * <p>It boots the whole launcher (embedded Temporal test server, PostgreSQL, GreenMail, API and
 * worker in this JVM) and measures:
 *
 * <ol>
 *   <li>the baseline: a bare {@link WorkflowClient} start loop of N trivial workflows on a task
 *       queue no worker polls, one thread (as the enrolment activity starts them) and eight
 *       threads;
 *   <li>Outbound: N leads added in one request to a campaign whose only step waits P1D, the
 *       campaign started, and the time until every lead's sequence is started, has begun (no
 *       PENDING lead) and waits on its timer;
 *   <li>the history a lead sequence costs per email, from a small campaign run to completion;
 *   <li>the heap held per live lead once the N sequences wait on their timers (rough: the Temporal
 *       test server, which holds every history, lives in the same JVM).
 * </ol>
 *
 * The table goes to stdout (surefire puts it in {@code target/surefire-reports/*-output.txt}) and
 * to {@code target/benchmark.txt}. Optional: {@code -Doutbound.benchmark.timeout=PT10M} bounds the
 * wait for the enrolment; on timeout the figures reached so far are printed.
 */
@EnabledIfSystemProperty(named = "outbound.benchmark", matches = ".+")
class StartBenchmark {

  private static final String API_KEY = "bench-key";
  private static final String UNPOLLED_QUEUE = "bench-baseline-unpolled";
  private static final int PARALLEL_THREADS = 8;
  private static final JsonMapper json = JsonMapper.builder().build();

  /**
   * Event types counted as a billable action: an approximation (activity retries are not visible in
   * history; markers are counted, though only local-activity markers are surely billed).
   */
  private static final Set<EventType> ACTIONS =
      EnumSet.of(
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
          EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
          EventType.EVENT_TYPE_TIMER_STARTED,
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
          EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
          EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
          EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
          EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
          EventType.EVENT_TYPE_MARKER_RECORDED,
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<String[]> rows = new ArrayList<>();
  private String base;

  @Test
  void measure() throws Exception {
    int n = Integer.parseInt(System.getProperty("outbound.benchmark", "10000").trim());
    Duration timeout = Duration.parse(System.getProperty("outbound.benchmark.timeout", "PT10M"));
    long runStart = System.nanoTime();

    int postgresPort = freePort();
    ConfigurableApplicationContext app =
        LauncherApplication.builder()
            .run(
                "--server.port=0",
                "--outbound.dev.temporal-port=" + freePort(),
                "--outbound.dev.postgres-port=" + postgresPort,
                "--outbound.dev.smtp-port=" + freePort(),
                "--outbound.dev.imap-port=" + freePort(),
                "--outbound.dev.api-key=" + API_KEY);
    try {
      double bootSeconds = seconds(System.nanoTime() - runStart);
      base =
          "http://localhost:"
              + ((WebServerApplicationContext) app).getWebServer().getPort()
              + "/api/v1";
      WorkflowClient client = app.getBean(WorkflowClient.class);
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      EmbeddedStack stack = app.getBean(EmbeddedStack.class);
      row("leads (N)", String.valueOf(n), "");
      row("boot of the launcher", fmt(bootSeconds, "s"), "test server + PostgreSQL + GreenMail");
      row("CPUs / max heap", cpuAndHeap(), "load average " + loadAverage() + " after boot");

      // 1. Baseline: bare starts on a queue no worker polls. A short warm-up first, so the JIT and
      // the gRPC channel are not charged to the loop.
      long heapBeforeBaseline = usedHeapAfterGc();
      startBare(client, "bench-warmup-", Math.min(500, n), 1);
      CpuSnapshot baselineCpu = CpuSnapshot.take(postgresPort);
      double baseline1 = startBare(client, "bench-base1-", n, 1);
      double baselineCpuMs =
          seconds(CpuSnapshot.take(postgresPort).processNanos() - baselineCpu.processNanos())
              * 1000
              / n;
      double baselineParallel = startBare(client, "bench-base8-", n, PARALLEL_THREADS);
      long heapAfterBaseline = usedHeapAfterGc();
      double baselineRate = n / baseline1;
      row(
          "baseline: bare starts, 1 thread",
          rate(baselineRate),
          fmt(baseline1, "s") + " for N, JVM CPU " + fmt(baselineCpuMs, "ms") + " per start");
      row(
          "baseline: bare starts, " + PARALLEL_THREADS + " threads",
          rate(n / baselineParallel),
          fmt(baselineParallel, "s") + " for N");

      // 2. Outbound: N leads through the REST API into a campaign that sends nothing during the
      // run.
      long mailbox = createMailbox(stack, "bench@agency.test");
      long campaign = createCampaign("Bench " + n, mailbox, List.of("P1D"));
      List<Map<String, Object>> leads = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        leads.add(Map.of("email", "lead-" + i + "@bench.test", "firstName", "Lead" + i));
      }
      String leadsBody = json.writeValueAsString(leads);
      long t = System.nanoTime();
      JsonNode added = send("POST", "/campaigns/" + campaign + "/leads", leadsBody, 200);
      double addSeconds = seconds(System.nanoTime() - t);
      row(
          "POST leads (one request)",
          fmt(addSeconds, "s"),
          added.get("accepted").asInt()
              + " accepted, "
              + leadsBody.length() / 1024
              + " KiB body, "
              + rate(n / addSeconds));

      CpuSnapshot cpuBefore = CpuSnapshot.take(postgresPort);
      long startedAt = System.nanoTime();
      send("POST", "/campaigns/" + campaign + "/start", null, 202);
      double startSeconds = seconds(System.nanoTime() - startedAt);
      row("POST start -> 202", fmt(startSeconds * 1000, "ms"), "");

      Enrolment enrolment = awaitEnrolment(jdbc, campaign, n, startedAt, timeout);
      cpuRows(cpuBefore, CpuSnapshot.take(postgresPort), n);
      row(
          "load average after enrolling",
          loadAverage(),
          "this run adds about " + Runtime.getRuntime().availableProcessors() + "; more = others");
      JsonNode counts = send("GET", "/campaigns/" + campaign, null, 200).get("counts");
      row(
          "all sequences started (started_at)",
          enrolment.started() < 0 ? "timeout" : fmt(enrolment.started(), "s"),
          enrolment.started() < 0
              ? enrolment.last()
              : rate(n / enrolment.started()) + ", by the campaign workflow's activity");
      row(
          "all sequences begun (pending == 0)",
          enrolment.begun() < 0 ? "timeout" : fmt(enrolment.begun(), "s"),
          enrolment.begun() < 0 ? enrolment.last() : rate(n / enrolment.begun()));
      row(
          "all waiting on their P1D timer",
          enrolment.waiting() < 0 ? "timeout" : fmt(enrolment.waiting(), "s"),
          enrolment.waiting() < 0 ? enrolment.last() : rate(n / enrolment.waiting()));
      row(
          "API counts at the end",
          "",
          "leads "
              + counts.get("leads").asLong()
              + ", active "
              + counts.get("active").asLong()
              + ", pending "
              + counts.get("pending").asLong());
      if (enrolment.begun() > 0) {
        row(
            "RATIO enrolled/s vs bare 1-thread starts",
            fmt((n / enrolment.begun()) / baselineRate, "x"),
            "lead begun (pending == 0) vs baseline");
      }
      if (enrolment.started() > 0) {
        row(
            "RATIO started/s vs bare 1-thread starts",
            fmt((n / enrolment.started()) / baselineRate, "x"),
            "started_at set vs baseline");
      }

      // 4. Heap per live lead (before step 3, so only the N waiting sequences are added).
      long heapAfterOutbound = usedHeapAfterGc();
      row(
          "heap per bare unpolled workflow",
          fmt((heapAfterBaseline - heapBeforeBaseline) / (2.0 * n + Math.min(500, n)), "B"),
          "rough: test server state of a 2-event history");
      row(
          "heap per live lead (on its timer)",
          fmt((heapAfterOutbound - heapAfterBaseline) / (double) n, "B"),
          "rough: used heap after GC, delta / N; includes the in-JVM test server's histories");
      row(
          "heap used after GC",
          mib(heapBeforeBaseline)
              + " -> "
              + mib(heapAfterBaseline)
              + " -> "
              + mib(heapAfterOutbound),
          "before baseline -> after baseline -> leads waiting");

      historyOfTheStartCampaign(client, campaign, n);

      // 3. History per step, from small campaigns run to completion: 2 steps, and 1 step for the
      // marginal cost of a step.
      historyCost(client, jdbc, stack, mailbox);

      row("whole run", fmt(seconds(System.nanoTime() - runStart), "s"), "boot to table");
    } finally {
      try {
        String table = table();
        System.out.println(table);
        Path out = Path.of(System.getProperty("basedir", "."), "target", "benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
      } finally {
        app.close();
      }
    }
  }

  /** CPU time of this JVM (by thread group), and of its child processes (PostgreSQL). */
  private record CpuSnapshot(
      long wallNanos,
      long processNanos,
      long childrenNanos,
      Map<Long, String> names,
      Map<Long, Long> threadNanos) {

    static CpuSnapshot take(int postgresPort) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<Long, String> names = new HashMap<>();
      Map<Long, Long> cpu = new HashMap<>();
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info != null) {
          long nanos = threads.getThreadCpuTime(info.getThreadId());
          if (nanos >= 0) {
            names.put(info.getThreadId(), info.getThreadName());
            cpu.put(info.getThreadId(), nanos);
          }
        }
      }
      long process =
          ManagementFactory.getOperatingSystemMXBean()
                  instanceof com.sun.management.OperatingSystemMXBean os
              ? os.getProcessCpuTime()
              : -1;
      // pg_ctl detaches the postmaster from this JVM: find it by its port, then its backends.
      String portArg = "-p " + postgresPort;
      long children =
          ProcessHandle.allProcesses()
              .filter(p -> p.info().commandLine().orElse("").contains(portArg))
              .filter(p -> p.info().commandLine().orElse("").contains("postgres"))
              .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
              .distinct()
              .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
              .sum();
      return new CpuSnapshot(System.nanoTime(), process, children, names, cpu);
    }
  }

  /** Where the CPU went between two snapshots: the top thread groups, the JVM, PostgreSQL. */
  private void cpuRows(CpuSnapshot before, CpuSnapshot after, int n) {
    double wall = seconds(after.wallNanos() - before.wallNanos());
    Map<String, Long> byGroup = new HashMap<>();
    long threadsTotal = 0;
    for (Map.Entry<Long, Long> e : after.threadNanos().entrySet()) {
      long delta = e.getValue() - before.threadNanos().getOrDefault(e.getKey(), 0L);
      String group = after.names().get(e.getKey()).replaceAll("[0-9]+", "#");
      byGroup.merge(group, delta, Long::sum);
      threadsTotal += delta;
    }
    double jvm = seconds(after.processNanos() - before.processNanos());
    row(
        "CPU while enrolling: JVM",
        fmt(jvm, "s"),
        fmt(100 * jvm / wall, "%")
            + " of one core over "
            + fmt(wall, "s")
            + " wall, "
            + fmt(jvm * 1000 / n, "ms")
            + " per lead");
    double pg = seconds(after.childrenNanos() - before.childrenNanos());
    row(
        "CPU while enrolling: PostgreSQL",
        fmt(pg, "s"),
        fmt(100 * pg / wall, "%")
            + " of one core (postmaster and backends), "
            + fmt(pg * 1000 / n, "ms")
            + " per lead");
    int cores = Runtime.getRuntime().availableProcessors();
    row(
        "CPU while enrolling: JVM + PostgreSQL",
        fmt(100 * (jvm + pg) / (cores * wall), "%"),
        "of all " + cores + " cores: near 100 % means CPU-bound");
    long live = Math.max(1, threadsTotal);
    byGroup.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .forEach(
            e ->
                row(
                    "  thread group: " + abbreviate(e.getKey()),
                    fmt(seconds(e.getValue()), "s"),
                    fmt(100.0 * e.getValue() / live, "%") + " of live threads' CPU"));
    row(
        "  not on live Java threads",
        fmt(Math.max(0, jvm - seconds(threadsTotal)), "s"),
        "threads that ended (e.g. workflow threads), GC and JIT");
  }

  private static String abbreviate(String name) {
    return name.length() <= 48 ? name : name.substring(0, 45) + "...";
  }

  private void historyOfTheStartCampaign(WorkflowClient client, long campaign, int n) {
    WorkflowExecutionHistory history = client.fetchHistory(WorkflowIds.campaign(campaign));
    long activities =
        history.getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
            .count();
    row(
        "campaign workflow history (last run)",
        history.getEvents().size() + " events",
        activities + " activities for " + n + " leads, " + kib(protoBytes(history)) + " KiB");
  }

  private void historyCost(
      WorkflowClient client, JdbcClient jdbc, EmbeddedStack stack, long mailbox) throws Exception {
    int leads = 20;
    long two = createCampaign("Bench history 2 steps", mailbox, List.of("PT0S", "PT1S"));
    long one = createCampaign("Bench history 1 step", mailbox, List.of("PT0S"));
    addLeads(two, "two-", leads);
    addLeads(one, "one-", 5);
    long t = System.nanoTime();
    send("POST", "/campaigns/" + two + "/start", null, 202);
    send("POST", "/campaigns/" + one + "/start", null, 202);
    awaitCompleted(two, leads, Duration.ofMinutes(3));
    awaitCompleted(one, 5, Duration.ofMinutes(3));
    double runSeconds = seconds(System.nanoTime() - t);
    row(
        "history campaigns completed",
        fmt(runSeconds, "s"),
        leads
            + " leads x 2 steps (PT0S, PT1S) + 5 leads x 1 step; emails received "
            + stack.greenMail().getReceivedMessages().length);

    Cost twoSteps = leadCost(client, jdbc, two, 5);
    Cost oneStep = leadCost(client, jdbc, one, 3);
    row(
        "lead history, 2 steps",
        fmt(twoSteps.events(), "events"),
        fmt(twoSteps.bytes() / 1024.0, "KiB")
            + " proto, "
            + fmt(twoSteps.jsonChars() / 1024.0, "KiB")
            + " JSON, "
            + fmt(twoSteps.actions(), "actions")
            + " (avg of "
            + twoSteps.sampled()
            + ")");
    row(
        "per email (2-step lead / 2)",
        fmt(twoSteps.events() / 2, "events"),
        fmt(twoSteps.bytes() / 2 / 1024.0, "KiB")
            + " proto, "
            + fmt(twoSteps.jsonChars() / 2 / 1024.0, "KiB")
            + " JSON, "
            + fmt(twoSteps.actions() / 2, "actions"));
    row(
        "lead history, 1 step",
        fmt(oneStep.events(), "events"),
        fmt(oneStep.bytes() / 1024.0, "KiB") + " proto, " + fmt(oneStep.actions(), "actions"));
    row(
        "marginal cost of a step (2 - 1)",
        fmt(twoSteps.events() - oneStep.events(), "events"),
        fmt((twoSteps.bytes() - oneStep.bytes()) / 1024.0, "KiB")
            + " proto, "
            + fmt(twoSteps.actions() - oneStep.actions(), "actions"));
    row("event types, one 2-step lead", "", twoSteps.types());
    row(
        "  actions counted",
        "",
        "started, activity scheduled, timer started, signal, update, marker, upsert, ...");
  }

  private record Cost(
      double events, double bytes, double jsonChars, double actions, int sampled, String types) {}

  private Cost leadCost(WorkflowClient client, JdbcClient jdbc, long campaign, int sample) {
    List<Long> ids =
        jdbc.sql("select id from enrolments where campaign_id = :c order by id limit :n")
            .param("c", campaign)
            .param("n", sample)
            .query(Long.class)
            .list();
    double events = 0;
    double bytes = 0;
    double chars = 0;
    double actions = 0;
    String types = "";
    for (long id : ids) {
      WorkflowExecutionHistory history =
          client.fetchHistory(WorkflowIds.leadSequence(campaign, id));
      events += history.getEvents().size();
      bytes += protoBytes(history);
      chars += history.toJson(false).length();
      actions +=
          history.getEvents().stream().filter(e -> ACTIONS.contains(e.getEventType())).count();
      if (types.isEmpty()) {
        Map<EventType, Integer> byType = new EnumMap<>(EventType.class);
        for (HistoryEvent e : history.getEvents()) {
          byType.merge(e.getEventType(), 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder();
        byType.forEach(
            (type, count) ->
                s.append(s.length() == 0 ? "" : ", ")
                    .append(type.name().replace("EVENT_TYPE_", "").toLowerCase(Locale.ROOT))
                    .append(' ')
                    .append(count));
        types = s.toString();
      }
    }
    int k = ids.size();
    return new Cost(events / k, bytes / k, chars / k, actions / k, k, types);
  }

  private static long protoBytes(WorkflowExecutionHistory history) {
    long bytes = 0;
    for (HistoryEvent e : history.getEvents()) {
      bytes += e.getSerializedSize();
    }
    return bytes;
  }

  /** Starts {@code count} trivial workflows nobody runs; returns the seconds it took. */
  private static double startBare(WorkflowClient client, String prefix, int count, int threads)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    Runnable loop =
        () -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            client
                .newUntypedWorkflowStub(
                    "BenchNoop",
                    WorkflowOptions.newBuilder()
                        .setWorkflowId(prefix + i)
                        .setTaskQueue(UNPOLLED_QUEUE)
                        .build())
                .start();
          }
        };
    long t = System.nanoTime();
    if (threads == 1) {
      loop.run();
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          done.add(pool.submit(loop));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
    }
    return seconds(System.nanoTime() - t);
  }

  /** Seconds from the start request to each milestone, or -1 if the timeout came first. */
  private record Enrolment(double started, double begun, double waiting, String last) {}

  private static Enrolment awaitEnrolment(
      JdbcClient jdbc, long campaign, int n, long startedAt, Duration timeout) throws Exception {
    double started = -1;
    double begun = -1;
    double waiting = -1;
    long deadline = startedAt + timeout.toNanos();
    long nextReport = 0;
    String last = "";
    while (System.nanoTime() < deadline) {
      Map<String, Object> c =
          jdbc.sql(
                  "select count(*) filter (where started_at is not null) as started,"
                      + " count(*) filter (where status <> 'PENDING') as begun,"
                      + " count(*) filter (where next_send_at is not null) as waiting"
                      + " from enrolments where campaign_id = :c")
              .param("c", campaign)
              .query()
              .singleRow();
      long s = ((Number) c.get("started")).longValue();
      long b = ((Number) c.get("begun")).longValue();
      long w = ((Number) c.get("waiting")).longValue();
      double now = seconds(System.nanoTime() - startedAt);
      last = "at " + fmt(now, "s") + ": started " + s + ", begun " + b + ", waiting " + w;
      if (started < 0 && s >= n) {
        started = now;
      }
      if (begun < 0 && b >= n) {
        begun = now;
      }
      if (waiting < 0 && w >= n) {
        waiting = now;
      }
      if (System.nanoTime() >= nextReport) {
        System.out.println("[benchmark] " + last);
        nextReport = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      }
      if (waiting >= 0 && begun >= 0 && started >= 0) {
        break;
      }
      Thread.sleep(100);
    }
    System.out.println("[benchmark] " + last);
    return new Enrolment(started, begun, waiting, last);
  }

  private void awaitCompleted(long campaign, int leads, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode counts = null;
    while (System.nanoTime() < deadline) {
      counts = send("GET", "/campaigns/" + campaign, null, 200).get("counts");
      if (counts.get("completed").asInt() >= leads) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "campaign " + campaign + " did not complete in " + timeout + ": " + counts);
  }

  private long createMailbox(EmbeddedStack stack, String email) throws Exception {
    Map<String, Object> body =
        Map.of(
            "email",
            email,
            "displayName",
            "Bench Sender",
            "smtp",
            Map.of("host", "localhost", "port", stack.smtpPort(), "tls", false),
            "dailyCap",
            100_000,
            "minGapSeconds",
            0);
    return send("POST", "/mailboxes", json.writeValueAsString(body), 201).get("id").asLong();
  }

  private long createCampaign(String name, long mailbox, List<String> delays) throws Exception {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int i = 0; i < delays.size(); i++) {
      steps.add(
          Map.of(
              "delay",
              delays.get(i),
              "subject",
              (i == 0 ? "" : "Re: ") + "Hello {{firstName|there}}",
              "body",
              "Hi {{firstName|there}}, step " + (i + 1)));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("timezone", "Europe/Berlin");
    body.put("mailboxIds", List.of(mailbox));
    body.put("steps", steps);
    return send("POST", "/campaigns", json.writeValueAsString(body), 201).get("id").asLong();
  }

  private void addLeads(long campaign, String prefix, int count) throws Exception {
    List<Map<String, Object>> leads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      leads.add(Map.of("email", prefix + i + "@history.test", "firstName", "H" + i));
    }
    send("POST", "/campaigns/" + campaign + "/leads", json.writeValueAsString(leads), 200);
  }

  private JsonNode send(String method, String path, String body, int expected) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofMinutes(2))
            .header("Authorization", "Bearer " + API_KEY)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String cpuAndHeap() {
    return Runtime.getRuntime().availableProcessors()
        + " / "
        + mib(Runtime.getRuntime().maxMemory());
  }

  private static String loadAverage() {
    return fmt(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), "");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void row(String what, String value, String note) {
    rows.add(new String[] {what, value, note});
  }

  private String table() {
    int w0 = "figure".length();
    int w1 = "value".length();
    for (String[] r : rows) {
      w0 = Math.max(w0, r[0].length());
      w1 = Math.max(w1, r[1].length());
    }
    String format = "%-" + w0 + "s | %" + w1 + "s | %s%n";
    StringBuilder s = new StringBuilder();
    s.append(System.lineSeparator())
        .append("Outbound start benchmark (DESIGN.md section 6)")
        .append(System.lineSeparator());
    s.append(String.format(Locale.ROOT, format, "figure", "value", "note"));
    s.append("-".repeat(w0 + w1 + 40)).append(System.lineSeparator());
    for (String[] r : rows) {
      s.append(String.format(Locale.ROOT, format, r[0], r[1], r[2]));
    }
    return s.toString();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String rate(double perSecond) {
    return fmt(perSecond, "/s");
  }

  private static String fmt(double value, String unit) {
    String number =
        Math.abs(value) >= 100
            ? String.format(Locale.ROOT, "%,.0f", value)
            : String.format(Locale.ROOT, "%.2f", value);
    return unit.isEmpty() || unit.startsWith("/") ? number + unit : number + " " + unit;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,.0f MiB", bytes / (1024.0 * 1024.0));
  }

  private static long kib(long bytes) {
    return Math.round(bytes / 1024.0);
  }
}
