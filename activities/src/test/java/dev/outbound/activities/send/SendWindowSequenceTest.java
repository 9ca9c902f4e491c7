package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.outbound.activities.ActivitiesTestApp;
import dev.outbound.activities.ServerClock;
import dev.outbound.activities.TestData;
import dev.outbound.activities.lead.LeadActivitiesImpl;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.LeadSequenceWorkflowImpl;
import dev.outbound.workflows.TaskQueues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A lead's whole sequence through send windows on the time-skipping test server, with the real send
 * and CRM activities (PostgreSQL, GreenMail) reading the server's time: across the daylight-saving
 * changes of Berlin and New York, a weekend, public holidays, and a window that closes between the
 * timer firing and the send. What counts is when the SMTP server got each step, on the lead's wall
 * clock.
 */
@SpringBootTest(classes = ActivitiesTestApp.class)
@Timeout(120)
@Tag("slow")
class SendWindowSequenceTest {

  @RegisterExtension
  static final GreenMailExtension greenMail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired JdbcClient jdbc;
  @Autowired ApplicationContext spring;
  @Autowired CredentialCipher cipher;
  @Autowired SendLedgerStore ledger;
  @Autowired EnrolmentStore enrolments;
  @Autowired TimelineStore timeline;
  @Autowired MailboxCapacityStore capacity;

  private TestWorkflowEnvironment env;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  /**
   * Runs a two-step sequence (step 2 one day after step 1) for a lead in {@code zone} started at
   * {@code start} (the lead's wall clock), with a Mon-Fri 09:00-17:00 window, and returns when each
   * step was sent on the lead's wall clock. {@code skew} makes the send activity see a time that
   * much after the workflow's (a send that runs late).
   */
  private List<Instant> sequence(
      String zone, LocalDateTime start, String country, boolean skipHolidays, Duration skew) {
    ZoneId leadZone = ZoneId.of(zone);
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setInitialTime(start.atZone(leadZone).toInstant())
                .build());
    ActivitiesTestApp.registerSearchAttributes(env);
    AtomicLong skewMillis = new AtomicLong(skew.toMillis());
    Clock workflowTime = new ServerClock(() -> env.currentTimeMillis() + skewMillis.get());

    TestData data = new TestData(jdbc, cipher);
    long client = data.client("windows");
    long mailbox = data.mailbox(client, "sales@acme.test", "Sam", greenMail.getSmtp().getPort());
    long campaign = data.campaign(client, "ACTIVE", mailbox);
    data.step(client, campaign, 1, 0, "Hello {{firstName}}", "Hi");
    data.step(client, campaign, 2, 86_400, "", "Following up");
    jdbc.sql(
            "update campaigns set window_days = 'MON,TUE,WED,THU,FRI', window_start = '09:00',"
                + " window_end = '17:00', skip_holidays = :skip where id = :id")
        .param("skip", skipHolidays)
        .param("id", campaign)
        .update();
    long person =
        data.lead(client, "lead" + System.nanoTime() + "@example.test", "Ada", "Acme", "{}");
    jdbc.sql("update leads set timezone = :zone, country = :country where id = :id")
        .param("zone", zone)
        .param("country", country)
        .param("id", person)
        .update();
    long enrolment = data.enrolment(client, campaign, person, "PENDING");
    LeadRef lead = new LeadRef(client, campaign, enrolment);

    Worker worker = env.newWorker(TaskQueues.OUTBOUND);
    worker.registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new RecordingSend(
            new SendActivitiesBuilder(spring).clock(workflowTime).build(), workflowTime, sentAt),
        new LeadActivitiesImpl(
            enrolments,
            ledger,
            capacity,
            timeline,
            new OutboundMetrics(new SimpleMeterRegistry())));
    env.start();
    WorkflowClient client1 = env.getWorkflowClient();
    LeadSequenceWorkflow workflow =
        client1.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(lead.workflowId())
                .setTaskQueue(TaskQueues.OUTBOUND)
                .build());
    WorkflowClient.start(workflow::run, lead, null);
    assertThat(WorkflowStub.fromTyped(workflow).getResult(LeadStatus.class))
        .isEqualTo(LeadStatus.COMPLETED);

    return sentAt;
  }

  private static LocalDateTime at(int year, int month, int day, int hour, int minute) {
    return LocalDateTime.of(year, month, day, hour, minute);
  }

  @Test
  void aLeadStartedOnSaturdayInBerlinBeforeTheSpringChangeGetsStepOneMondayAtNineSummerTime() {
    List<ZonedDateTime> sends =
        sendTimes("Europe/Berlin", at(2026, 3, 28, 20, 0), "DE", false, Duration.ZERO);

    // Sunday 29 March 02:00 CET became 03:00 CEST; Monday's 09:00 is CEST (07:00 UTC).
    assertThat(sends.get(0).toLocalDateTime()).isEqualTo(at(2026, 3, 30, 9, 0));
    assertThat(sends.get(0).getOffset()).isEqualTo(ZoneOffset.ofHours(2));
    assertThat(sends.get(1).toLocalDateTime()).isEqualTo(at(2026, 3, 31, 9, 0));
  }

  @Test
  void aLeadInNewYorkAcrossTheMarchChangeIsMailedAtNineLocalTimeBeforeAndAfterIt() {
    List<ZonedDateTime> sends =
        sendTimes("America/New_York", at(2026, 3, 6, 17, 30), "US", false, Duration.ZERO);

    // Friday 17:30 EST is after the window: Monday 9 March 09:00 EDT (clocks went forward on the
    // 8th), then the follow-up a day later at the same wall-clock time.
    assertThat(sends.get(0).toLocalDateTime()).isEqualTo(at(2026, 3, 9, 9, 0));
    assertThat(sends.get(0).getOffset()).isEqualTo(ZoneOffset.ofHours(-4));
    assertThat(sends.get(1).toLocalDateTime()).isEqualTo(at(2026, 3, 10, 9, 0));
  }

  @Test
  void aLeadInBerlinAcrossTheAutumnChangeKeepsTheWallClockWindow() {
    List<ZonedDateTime> sends =
        sendTimes("Europe/Berlin", at(2026, 10, 23, 16, 30), "DE", false, Duration.ZERO);

    // Step 1 at once (Friday 16:30, inside the window); step 2 is due Saturday 16:30, so it
    // waits for Monday 26 October 09:00, now CET (the change was on Sunday the 25th).
    assertThat(sends.get(0).toLocalDateTime()).isEqualTo(at(2026, 10, 23, 16, 30));
    assertThat(sends.get(1).toLocalDateTime()).isEqualTo(at(2026, 10, 26, 9, 0));
    assertThat(sends.get(1).getOffset()).isEqualTo(ZoneOffset.ofHours(1));
  }

  @Test
  void publicHolidaysOfTheLeadsCountryAreSkippedWhenTheCampaignAsks() {
    List<ZonedDateTime> sends =
        sendTimes("Europe/Berlin", at(2026, 12, 24, 18, 0), "DE", true, Duration.ZERO);

    // Thursday 24 December after hours; 25 and 26 December are German public holidays (and the
    // 26th a Saturday), then the weekend: Monday 28 December 09:00.
    assertThat(sends.get(0).toLocalDateTime()).isEqualTo(at(2026, 12, 28, 9, 0));
    assertThat(sends.get(1).toLocalDateTime()).isEqualTo(at(2026, 12, 29, 9, 0));
  }

  @Test
  void withoutHolidaySkippingChristmasDayIsAnOrdinaryFriday() {
    List<ZonedDateTime> sends =
        sendTimes("Europe/Berlin", at(2026, 12, 24, 18, 0), "DE", false, Duration.ZERO);

    assertThat(sends.get(0).toLocalDateTime()).isEqualTo(at(2026, 12, 25, 9, 0));
  }

  @Test
  void aWindowThatClosesBetweenTheTimerAndTheSendPushesTheStepToTheNextOpening() {
    // The activity sees a time two minutes after the workflow's: the step falls due at 16:59 on
    // the workflow's clock, but the send runs when the window has closed.
    List<ZonedDateTime> sends =
        sendTimes("Europe/Berlin", at(2026, 11, 24, 16, 59), "DE", false, Duration.ofMinutes(2));

    assertThat(sends.get(0).toLocalDateTime()).isEqualTo(at(2026, 11, 25, 9, 2));
  }

  /** When the send activity sent each step (its own clock), on the lead's wall clock. */
  private List<ZonedDateTime> sendTimes(
      String zone, LocalDateTime start, String country, boolean skipHolidays, Duration skew) {
    sentAt.clear();
    sequence(zone, start, country, skipHolidays, skew);
    ZoneId leadZone = ZoneId.of(zone);
    assertThat(greenMail.getReceivedMessages()).hasSize(sentAt.size());
    return sentAt.stream()
        .map(i -> i.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).atZone(leadZone))
        .toList();
  }

  private final List<Instant> sentAt = new CopyOnWriteArrayList<>();
}
