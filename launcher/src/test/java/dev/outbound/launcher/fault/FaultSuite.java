package dev.outbound.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import dev.outbound.activities.send.FaultInjection.HaltPoint;
import dev.outbound.activities.send.MessageIds;
import dev.outbound.launcher.ApiCalls;
import dev.outbound.launcher.EmbeddedStack;
import dev.outbound.launcher.LauncherApplication;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.http.HttpClient;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fault suite (issue 3; docs/testing.md, "Fault suite"): "one send per (lead, step), none lost"
 * through crashes of real worker processes, checked by what the SMTP server itself received.
 *
 * <p>The embedded stack (Temporal test server, PostgreSQL, GreenMail) and the API run in this JVM;
 * the in-process worker polls a task queue nobody uses, so every workflow task and activity runs in
 * a worker <em>process</em> ({@code worker/target/outbound-worker-*-exec.jar}). For each halt point
 * of {@link dev.outbound.activities.send.FaultInjection} in turn, a worker is started that halts
 * itself there ({@code Runtime.halt}), then one that is killed with SIGKILL at a random moment
 * after it started; a last worker runs until every lead has completed. Then: no Message-ID received
 * twice, and every (lead, step) either received or flagged ambiguous in the ledger.
 *
 * <p>Run: {@code ./mvnw -B -pl launcher -am verify -Dtest=FaultSuite
 * -Dsurefire.failIfNoSpecifiedTests=false -Doutbound.faults=100} (the value is the number of leads;
 * {@code -Doutbound.faults.seed=} repeats a schedule, {@code -Doutbound.faults.deadline=}
 * (ISO-8601, default PT20M) bounds the wait). Prints a table, also written to {@code
 * launcher/target/fault/report.txt}; the worker logs are beside it.
 */
@EnabledIfSystemProperty(named = "outbound.faults", matches = ".+")
@Tag("slow")
@Tag("heavy")
class FaultSuite {

  private static final String KEY = "fault-key";
  private static final String CREDENTIALS_KEY = "outbound-dev-credentials-key-not-for-production";
  private static final String SENDER = "sales@agency.test";
  private static final int STEPS = 3;

  /** Long enough that the outage phases find work ahead of them. */
  private static final String STEP_GAP = "PT20S";

  private static final Path OUT = Path.of("target", "fault");
  private static final Path WORKER_JAR =
      Path.of("..", "worker", "target", "outbound-worker-0.1.0-SNAPSHOT-exec.jar");

  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;
  private ApiCalls api;

  @Test
  void everyLeadGetsEveryStepOnceThroughKillsAndHalts() throws Exception {
    int leads = Integer.parseInt(System.getProperty("outbound.faults").trim());
    long seed = Long.getLong("outbound.faults.seed", System.currentTimeMillis());
    Duration deadline = Duration.parse(System.getProperty("outbound.faults.deadline", "PT20M"));
    Random random = new Random(seed);
    assertThat(WORKER_JAR)
        .as(
            "the worker's executable jar; build it first with"
                + " ./mvnw -pl worker -am package -DskipTests")
        .exists();
    Files.createDirectories(OUT);

    ConfigurableApplicationContext app =
        LauncherApplication.builder()
            .run(
                "--server.port=0",
                "--outbound.dev.temporal-port=" + ApiCalls.freePort(),
                "--outbound.dev.postgres-port=" + ApiCalls.freePort(),
                "--outbound.dev.smtp-port=" + ApiCalls.freePort(),
                "--outbound.dev.imap-port=" + ApiCalls.freePort(),
                "--outbound.dev.api-key=" + KEY,
                // The in-process worker polls a queue nobody uses: only worker processes do work.
                "--spring.temporal.workers[0].task-queue=fault-suite-unused");
    try {
      run(app, leads, seed, deadline, random);
    } finally {
      app.close();
    }
  }

  private void run(
      ConfigurableApplicationContext app, int leads, long seed, Duration deadline, Random random)
      throws Exception {
    EmbeddedStack stack = app.getBean(EmbeddedStack.class);
    Environment env = app.getEnvironment();
    JdbcClient db = JdbcClient.create(app.getBean(DataSource.class));
    base =
        "http://localhost:"
            + ((WebServerApplicationContext) app).getWebServer().getPort()
            + "/api/v1";
    api = new ApiCalls(base, KEY);
    Map<String, String> workerEnv = new LinkedHashMap<>();
    workerEnv.put("TEMPORAL_ADDRESS", env.getRequiredProperty("spring.temporal.connection.target"));
    workerEnv.put("DATABASE_URL", env.getRequiredProperty("spring.datasource.url"));
    workerEnv.put("DATABASE_USERNAME", env.getRequiredProperty("spring.datasource.username"));
    workerEnv.put("DATABASE_PASSWORD", env.getRequiredProperty("spring.datasource.password"));
    workerEnv.put("OUTBOUND_CREDENTIALS_KEY", CREDENTIALS_KEY);
    // The launcher's development secret, so that links the worker issues verify in the api.
    workerEnv.put(
        "OUTBOUND_UNSUBSCRIBE_SECRET", "outbound-dev-unsubscribe-secret-not-for-production");
    // The Java test server never times out sticky queues: a restarted worker's workflows would
    // hang (docs/architecture.md, "Task queues and worker settings").
    workerEnv.put("OUTBOUND_STICKY_EXECUTION", "false");
    workerEnv.put("WORKER_PORT", "0");
    workerEnv.put("OUTBOUND_SHUTDOWN_GRACE", "30s");
    workerEnv.put("SENTRY_DSN", "");
    // Its SMTP relay and IMAP server are on localhost, which a production worker refuses.
    workerEnv.put("OUTBOUND_ALLOW_PRIVATE_HOSTS", "true");

    // The worker processes reach SMTP and PostgreSQL through relays the suite can take down.
    String postgresUrl = env.getRequiredProperty("spring.datasource.url");
    int postgresPort = Integer.parseInt(postgresUrl.replaceAll(".*://[^:/]+:(\\d+)/.*", "$1"));
    FaultProxy smtp = FaultProxy.start("smtp", ApiCalls.freePort(), stack.smtpPort());
    FaultProxy postgres = FaultProxy.start("postgres", ApiCalls.freePort(), postgresPort);
    workerEnv.put(
        "DATABASE_URL", postgresUrl.replace(":" + postgresPort + "/", ":" + postgres.port() + "/"));
    try {
      run(db, stack, workerEnv, smtp, postgres, leads, seed, deadline, random);
    } finally {
      smtp.close();
      postgres.close();
    }
  }

  private void run(
      JdbcClient db,
      EmbeddedStack stack,
      Map<String, String> workerEnv,
      FaultProxy smtp,
      FaultProxy postgres,
      int leads,
      long seed,
      Duration deadline,
      Random random)
      throws Exception {
    long campaign = createCampaign(smtp.port(), stack.imapPort(), leads);
    long started = System.nanoTime();
    long until = started + deadline.toNanos();
    Map<HaltPoint, Integer> halts = new EnumMap<>(HaltPoint.class);
    Map<HaltPoint, Integer> notFired = new EnumMap<>(HaltPoint.class);
    int kills = 0;
    int runs = 0;
    List<String> schedule = new ArrayList<>();
    Outages outages = new Outages();

    // Outages first, while most of the work is still ahead. The SMTP server is down when the
    // campaign starts: every first attempt fails and is retried with backoff until it is back.
    smtp.cut();
    api.post("/campaigns/" + campaign + "/start", null, 202);
    Worker steady = Worker.start(++runs, workerEnv, null, 0);
    steady.awaitStarted(until);
    Thread.sleep(OUTAGE.toMillis());
    long sentBefore = sent(db, campaign);
    smtp.restore();
    long back = System.nanoTime();
    awaitSentAbove(db, campaign, sentBefore, until);
    outages.smtpRecovery = Duration.ofNanos(System.nanoTime() - back);
    schedule.add(
        "run "
            + runs
            + ": SMTP down for "
            + OUTAGE.toSeconds()
            + " s from the start; first email "
            + seconds(outages.smtpRecovery)
            + " after it came back");
    progress(campaign, started, schedule.get(schedule.size() - 1));
    steady.failIfItDiedOnItsOwn();

    // PostgreSQL goes away while sends are between SMTP and the ledger (SMTP slowed down so that
    // some are): those wait for the database instead of turning ambiguous.
    smtp.slowDown(150);
    outages.inFlightAtPostgresCut = awaitInFlight(db, campaign, until);
    postgres.cut();
    Thread.sleep(OUTAGE.toMillis());
    sentBefore = sent(db, campaign);
    postgres.restore();
    back = System.nanoTime();
    awaitSentAbove(db, campaign, sentBefore, until);
    outages.postgresRecovery = Duration.ofNanos(System.nanoTime() - back);
    schedule.add(
        "run "
            + runs
            + ": PostgreSQL down for "
            + OUTAGE.toSeconds()
            + " s with "
            + outages.inFlightAtPostgresCut
            + " sends in flight; next email "
            + seconds(outages.postgresRecovery)
            + " after it came back");
    progress(campaign, started, schedule.get(schedule.size() - 1));
    steady.failIfItDiedOnItsOwn();

    // SIGTERM in the middle of sends: in-flight activities finish, none fails, then it exits.
    smtp.slowDown(400);
    outages.inFlightAtSigterm = awaitInFlight(db, campaign, until);
    long logBefore = Files.size(steady.log);
    long term = System.nanoTime();
    steady.process.destroy();
    outages.exitedAfterSigterm = steady.process.waitFor(DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS);
    outages.drainTime = Duration.ofNanos(System.nanoTime() - term);
    if (!outages.exitedAfterSigterm) {
      steady.kill();
    }
    smtp.slowDown(0);
    outages.unfinishedAfterSigterm = inFlight(db, campaign);
    outages.failedAfterSigterm = steady.activityFailuresAfter(logBefore);
    schedule.add(
        "run "
            + runs
            + ": SIGTERM with "
            + outages.inFlightAtSigterm
            + " sends in flight; exited after "
            + seconds(outages.drainTime)
            + ", "
            + outages.failedAfterSigterm
            + " activity failures, "
            + outages.unfinishedAfterSigterm
            + " claims left unfinished");
    progress(campaign, started, schedule.get(schedule.size() - 1));
    long lastCrash = System.nanoTime();
    int maxHaltOnSend = Math.max(1, Math.min(5, leads / 20));
    int killRounds =
        Integer.parseInt(
            System.getProperty("outbound.faults.kills", String.valueOf(HaltPoint.values().length))
                .trim());

    for (HaltPoint point : HaltPoint.values()) {
      if (finished(campaign, leads) || System.nanoTime() > until) {
        break;
      }
      int nth = 1 + random.nextInt(maxHaltOnSend);
      Worker halting = Worker.start(++runs, workerEnv, point, nth);
      // It halts itself at the nth send reaching the point; it may instead run out of work.
      while (halting.process.isAlive() && !finished(campaign, leads) && System.nanoTime() < until) {
        halting.process.waitFor(500, TimeUnit.MILLISECONDS);
      }
      halting.failIfItDiedOnItsOwn();
      if (!halting.process.isAlive() && halting.halted()) {
        halts.merge(point, 1, Integer::sum);
        schedule.add("run " + runs + ": halted at " + point + " on send " + nth);
        lastCrash = System.nanoTime();
      } else {
        notFired.merge(point, 1, Integer::sum);
        schedule.add("run " + runs + ": " + point + " on send " + nth + " did not fire");
        halting.kill();
        lastCrash = System.nanoTime();
      }
      progress(campaign, started, schedule.get(schedule.size() - 1));

      if (finished(campaign, leads) || System.nanoTime() > until) {
        break;
      }
      if (point.ordinal() >= killRounds) {
        continue;
      }
      Worker killed = Worker.start(++runs, workerEnv, null, 0);
      killed.awaitStarted(until);
      killed.failIfItDiedOnItsOwn();
      long after = 200 + random.nextInt(4_000);
      Thread.sleep(after);
      killed.kill();
      kills++;
      lastCrash = System.nanoTime();
      schedule.add("run " + runs + ": kill -9 " + after + " ms after it started");
      progress(campaign, started, schedule.get(schedule.size() - 1));
    }

    Worker last = Worker.start(++runs, workerEnv, null, 0);
    schedule.add("run " + runs + ": runs to the end");
    long lastProgress = 0;
    while (!finished(campaign, leads) && System.nanoTime() < until) {
      if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(15)) {
        progress(campaign, started, "waiting for the last worker");
        lastProgress = System.nanoTime();
      }
      last.failIfItDiedOnItsOwn();
      Thread.sleep(500);
    }
    // Ambiguous steps hold their leads until an operator decides; the suite decides like one who
    // looked at the mailbox: received means mark it sent, not received means allow one resend.
    int[] resolved = resolveAmbiguous(db, stack.greenMail(), campaign);
    schedule.add(
        "operator: "
            + resolved[0]
            + " ambiguous steps marked sent (received), "
            + resolved[1]
            + " resent (not received)");
    while (!allCompleted(campaign, leads) && System.nanoTime() < until) {
      last.failIfItDiedOnItsOwn();
      Thread.sleep(500);
    }
    long done = System.nanoTime();
    boolean allCompleted = allCompleted(campaign, leads);
    Thread.sleep(3_000); // Anything sent twice would have arrived by now.
    last.process.destroy();
    boolean drained = last.process.waitFor(DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS);
    if (!drained) {
      last.kill();
    }

    Report report =
        check(
            db,
            stack.greenMail(),
            campaign,
            leads,
            api.get("/campaigns/" + campaign).get("counts"));
    String table =
        report.table(
            seed,
            runs,
            halts,
            notFired,
            kills,
            Duration.ofNanos(done - started),
            Duration.ofNanos(done - lastCrash),
            allCompleted,
            drained,
            outages,
            resolved,
            schedule);
    System.out.println(table);
    Files.writeString(OUT.resolve("report.txt"), table, StandardCharsets.UTF_8);

    assertThat(report.duplicates).as("emails received more than once (per Message-ID)").isZero();
    assertThat(report.lost).as("(lead, step) neither received nor flagged ambiguous").isZero();
    assertThat(report.unexpected).as("emails with a Message-ID no (lead, step) has").isZero();
    assertThat(allCompleted).as("every lead completed before the deadline").isTrue();
    assertThat(report.counts.get("ambiguous").asLong())
        .as("the campaign's counts.ambiguous agrees with the ledger")
        .isEqualTo(report.ambiguous);
    assertThat(report.completedLeads).as("leads COMPLETED").isEqualTo(leads);
    assertThat(outages.exitedAfterSigterm).as("the worker exited after SIGTERM").isTrue();
    assertThat(outages.failedAfterSigterm).as("activities failed by the SIGTERM").isZero();
    assertThat(outages.unfinishedAfterSigterm)
        .as("claims left SENDING by the worker stopped with SIGTERM")
        .isZero();
  }

  private static final Duration OUTAGE = Duration.ofSeconds(15);
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(90);

  /** What the outage phases observed. */
  private static final class Outages {
    Duration smtpRecovery = Duration.ZERO;
    Duration postgresRecovery = Duration.ZERO;
    long inFlightAtPostgresCut;
    long inFlightAtSigterm;
    boolean exitedAfterSigterm;
    Duration drainTime = Duration.ZERO;
    long failedAfterSigterm;
    long unfinishedAfterSigterm;
  }

  private static long sent(JdbcClient db, long campaign) {
    return db.sql("select count(*) from send_ledger where campaign_id = ? and status = 'SENT'")
        .param(campaign)
        .query(Long.class)
        .single();
  }

  /** Claims not yet settled: sends in flight (or left behind by a dead attempt). */
  private static long inFlight(JdbcClient db, long campaign) {
    return db.sql("select count(*) from send_ledger where campaign_id = ? and status = 'SENDING'")
        .param(campaign)
        .query(Long.class)
        .single();
  }

  private static void awaitSentAbove(JdbcClient db, long campaign, long count, long until)
      throws InterruptedException {
    while (sent(db, campaign) <= count && System.nanoTime() < until) {
      Thread.sleep(100);
    }
  }

  /** Waits (up to a minute) until sends are in flight; returns how many. */
  private static long awaitInFlight(JdbcClient db, long campaign, long until)
      throws InterruptedException {
    long limit = Math.min(until, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
    long count;
    while ((count = inFlight(db, campaign)) == 0 && System.nanoTime() < limit) {
      Thread.sleep(20);
    }
    return count;
  }

  /**
   * Resolves every ambiguous step through the API as an operator would after looking at what the
   * recipient's server got. Returns {marked sent, resent}.
   */
  private int[] resolveAmbiguous(JdbcClient db, GreenMail mail, long campaign) throws Exception {
    Map<String, Integer> received = new HashMap<>();
    for (MimeMessage message : mail.getReceivedMessages()) {
      received.merge(message.getMessageID(), 1, Integer::sum);
    }
    int[] resolved = new int[2];
    List<Map<String, Object>> rows =
        db.sql(
                "select enrolment_id, step_index, message_id from send_ledger"
                    + " where campaign_id = ? and status = 'AMBIGUOUS'")
            .param(campaign)
            .query()
            .listOfRows();
    for (Map<String, Object> row : rows) {
      String path = "/leads/" + row.get("enrolment_id") + "/steps/" + row.get("step_index") + "/";
      if (received.containsKey((String) row.get("message_id"))) {
        api.post(path + "mark-sent", null, 200);
        resolved[0]++;
      } else {
        api.post(path + "resend", null, 202);
        resolved[1]++;
      }
    }
    return resolved;
  }

  /** A mailbox on the embedded SMTP server, a campaign of three steps, {@code leads} leads. */
  private long createCampaign(int smtpPort, int imapPort, int leads) throws Exception {
    long mailbox =
        api.post(
                "/mailboxes",
                Map.of(
                    "email",
                    SENDER,
                    "displayName",
                    "Sam Sender",
                    "smtp",
                    Map.of("host", "localhost", "port", smtpPort, "tls", false),
                    "imap",
                    Map.of(
                        "host",
                        "localhost",
                        "port",
                        imapPort,
                        "username",
                        SENDER,
                        "password",
                        "x",
                        "tls",
                        false),
                    "dailyCap",
                    100_000,
                    "minGapSeconds",
                    0),
                201)
            .get("id")
            .asLong();
    List<Map<String, Object>> steps = new ArrayList<>();
    for (int step = 1; step <= STEPS; step++) {
      steps.add(
          Map.of(
              "delay",
              step == 1 ? "PT0S" : STEP_GAP,
              "subject",
              "Step " + step + " for {{firstName|there}}",
              "body",
              "Hi {{firstName|there}}, this is step " + step + "."));
    }
    long campaign =
        api.post(
                "/campaigns",
                Map.of(
                    "name",
                    "Faults",
                    "timezone",
                    "Europe/Berlin",
                    "mailboxIds",
                    List.of(mailbox),
                    "steps",
                    steps),
                201)
            .get("id")
            .asLong();
    List<Map<String, Object>> people = new ArrayList<>();
    for (int i = 0; i < leads; i++) {
      people.add(Map.of("email", "lead" + i + "@client.test", "firstName", "Lead" + i));
    }
    JsonNode added = api.post("/campaigns/" + campaign + "/leads", people, 200);
    assertThat(added.get("accepted").asInt()).isEqualTo(leads);
    return campaign;
  }

  /** True when no lead is still pending, active or paused. */
  private boolean finished(long campaign, int leads) throws Exception {
    JsonNode counts = api.get("/campaigns/" + campaign).get("counts");
    return counts.get("leads").asInt() == leads
        && counts.get("pending").asInt() + counts.get("active").asInt() == 0
        && counts.get("paused").asInt() == 0;
  }

  /** True when every lead has completed (none held on an ambiguous step any more). */
  private boolean allCompleted(long campaign, int leads) throws Exception {
    return api.get("/campaigns/" + campaign).get("counts").get("completed").asInt() == leads;
  }

  private void progress(long campaign, long started, String what) throws Exception {
    JsonNode summary = api.get("/campaigns/" + campaign);
    System.out.printf(
        Locale.ROOT,
        "[fault %5.1fs] %s | counts %s | sent per step %s%n",
        (System.nanoTime() - started) / 1e9,
        what,
        summary.get("counts"),
        sentPerStep(summary));
  }

  private static List<Integer> sentPerStep(JsonNode summary) {
    List<Integer> sent = new ArrayList<>();
    for (JsonNode step : summary.get("steps")) {
      sent.add(step.get("sent").asInt());
    }
    return sent;
  }

  /** Compares what the SMTP server received with the (lead, step)s and the ledger. */
  private static Report check(
      JdbcClient db, GreenMail mail, long campaign, int leads, JsonNode counts) throws Exception {
    Map<String, Integer> received = new HashMap<>();
    MimeMessage[] messages = mail.getReceivedMessages();
    for (MimeMessage message : messages) {
      received.merge(message.getMessageID(), 1, Integer::sum);
    }
    Map<String, String> ledger = new HashMap<>();
    db.sql("select message_id, status from send_ledger where campaign_id = ?")
        .param(campaign)
        .query(
            (rs, row) -> {
              ledger.put(rs.getString("message_id"), rs.getString("status"));
              return null;
            })
        .list();
    List<Long> enrolments =
        db.sql("select id from enrolments where campaign_id = ? order by id")
            .param(campaign)
            .query(Long.class)
            .list();

    Report report = new Report();
    report.leads = leads;
    report.enrolments = enrolments.size();
    report.expected = (long) enrolments.size() * STEPS;
    report.received = messages.length;
    report.counts = counts;
    report.completedLeads = counts.get("completed").asLong();
    Map<String, Integer> unmatched = new HashMap<>(received);
    for (long enrolment : enrolments) {
      for (int step = 1; step <= STEPS; step++) {
        String id = MessageIds.of(campaign, enrolment, step, SENDER);
        int times = unmatched.getOrDefault(id, 0);
        unmatched.remove(id);
        String status = ledger.get(id);
        if (times > 1) {
          report.duplicates += times - 1;
        }
        if ("AMBIGUOUS".equals(status)) {
          report.ambiguous++;
        } else if (times == 0) {
          report.lost++;
        }
        if (status == null || "SENDING".equals(status)) {
          report.unsettled++;
        }
        if ("SENT".equals(status)) {
          report.ledgerSent++;
        }
      }
    }
    for (int times : unmatched.values()) {
      report.unexpected += times;
    }
    return report;
  }

  /** The figures the suite prints and asserts on. */
  private static final class Report {
    int leads;
    int enrolments;
    long expected;
    long received;
    long duplicates;
    long lost;
    long unexpected;
    long ambiguous;
    long ledgerSent;
    long unsettled;
    long completedLeads;
    JsonNode counts;

    String table(
        long seed,
        int runs,
        Map<HaltPoint, Integer> halts,
        Map<HaltPoint, Integer> notFired,
        int kills,
        Duration elapsed,
        Duration sinceLastCrash,
        boolean allCompleted,
        boolean drained,
        Outages outages,
        int[] resolved,
        List<String> schedule) {
      StringBuilder out = new StringBuilder();
      out.append("\nFault suite (seed ").append(seed).append(")\n\n");
      out.append("| figure | value |\n| --- | --- |\n");
      row(out, "worker processes started (runs)", runs);
      for (HaltPoint point : HaltPoint.values()) {
        row(
            out,
            "halted at " + point,
            halts.getOrDefault(point, 0)
                + (notFired.containsKey(point)
                    ? " (did not fire " + notFired.get(point) + "x, killed instead)"
                    : ""));
      }
      row(out, "kill -9 at a random moment", kills);
      row(
          out,
          "SMTP down " + OUTAGE.toSeconds() + " s: first email after it came back",
          seconds(outages.smtpRecovery));
      row(
          out,
          "PostgreSQL down " + OUTAGE.toSeconds() + " s: sends in flight / next email after",
          outages.inFlightAtPostgresCut + " / " + seconds(outages.postgresRecovery));
      row(
          out,
          "SIGTERM mid-send: in flight / exit after / failed activities / claims left",
          outages.inFlightAtSigterm
              + " / "
              + seconds(outages.drainTime)
              + " / "
              + outages.failedAfterSigterm
              + " / "
              + outages.unfinishedAfterSigterm);
      row(out, "leads", leads + " (" + enrolments + " enrolled)");
      row(out, "steps expected (lead x step)", expected);
      row(out, "emails received by the SMTP server", received);
      row(out, "duplicates (same Message-ID received again)", duplicates);
      row(out, "lost (not received, not ambiguous)", lost);
      row(
          out,
          "ambiguous (flagged, held for an operator)",
          (resolved[0] + resolved[1])
              + " ("
              + resolved[0]
              + " of them received; "
              + ambiguous
              + " left unresolved)");
      row(
          out,
          "resolved through the API: mark-sent (received) / resend (not received)",
          resolved[0] + " / " + resolved[1]);
      row(out, "unexpected Message-IDs", unexpected);
      row(out, "leads COMPLETED", completedLeads);
      row(out, "ledger SENT / unsettled (SENDING or missing)", ledgerSent + " / " + unsettled);
      row(out, "campaign counts (API)", counts);
      row(out, "all leads completed", allCompleted);
      row(out, "last worker drained on SIGTERM", drained);
      row(out, "wall time, start to last lead done", seconds(elapsed));
      row(out, "last crash to last lead done", seconds(sinceLastCrash));
      out.append("\nSchedule:\n");
      for (String line : schedule) {
        out.append("  ").append(line).append('\n');
      }
      return out.toString();
    }

    private static void row(StringBuilder out, String figure, Object value) {
      out.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }
  }

  private static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }

  /** One worker process, its output in {@code target/fault/worker-<run>.log}. */
  private static final class Worker {
    final Process process;
    final Path log;

    private Worker(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    static Worker start(int run, Map<String, String> env, HaltPoint haltAt, int haltOnSend)
        throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx512m");
      if (haltAt != null) {
        command.add("-Doutbound.fault.halt-at=" + haltAt);
        command.add("-Doutbound.fault.halt-on-send=" + haltOnSend);
      }
      command.add("-jar");
      command.add(WORKER_JAR.toString());
      Path log = OUT.resolve("worker-" + run + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
      builder.environment().putAll(env);
      return new Worker(builder.start(), log);
    }

    /** Waits until the worker logged that it started (and so polls), or it died, or the end. */
    void awaitStarted(long until) throws Exception {
      while (process.isAlive() && System.nanoTime() < until) {
        if (Files.exists(log) && Files.readString(log).contains("Started WorkerApplication")) {
          return;
        }
        Thread.sleep(100);
      }
    }

    /** A worker that exits without being halted or killed is broken: stop with its log. */
    void failIfItDiedOnItsOwn() throws IOException {
      if (!process.isAlive() && !halted()) {
        String text = Files.readString(log);
        throw new AssertionError(
            "worker process exited with "
                + process.exitValue()
                + "; the end of "
                + log.toAbsolutePath()
                + ":\n"
                + text.substring(Math.max(0, text.length() - 4_000)));
      }
    }

    /** Activity failures the worker logged after {@code offset} bytes of its log. */
    long activityFailuresAfter(long offset) throws IOException {
      String text = Files.readString(log);
      return text.substring((int) Math.min(offset, text.length()))
          .lines()
          .filter(line -> line.contains("failure. ActivityId="))
          .count();
    }

    boolean halted() throws IOException {
      return Files.readString(log).contains("FAULT INJECTION: halting");
    }

    /** SIGKILL on Linux: no shutdown hooks, in-flight activities are simply gone. */
    void kill() throws InterruptedException {
      process.toHandle().destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
