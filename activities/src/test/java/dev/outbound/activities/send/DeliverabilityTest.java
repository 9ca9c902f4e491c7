package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.outbound.activities.ActivitiesTestApp;
import dev.outbound.activities.TestData;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Send windows, mailbox caps and gaps, catch-up after an outage, and A/B variants, through the real
 * send activity on PostgreSQL and GreenMail, with a clock the test moves.
 */
@SpringBootTest(classes = ActivitiesTestApp.class)
@Tag("slow")
class DeliverabilityTest {

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

  private TestData data;
  private long client;
  private long mailbox;
  private long campaign;
  private final MovableClock clock = new MovableClock();

  /** Monday 2026-11-23 08:00 in Berlin (07:00 UTC): before a 09:00-17:00 window opens. */
  private static final Instant MONDAY_EARLY =
      ZonedDateTime.of(2026, 11, 23, 8, 0, 0, 0, ZoneId.of("Europe/Berlin")).toInstant();

  @BeforeEach
  void setUp() {
    data = new TestData(jdbc, cipher);
    client = data.client("deliver");
    mailbox = data.mailbox(client, "sales@acme.test", "Sam", greenMail.getSmtp().getPort());
    campaign = data.campaign(client, "ACTIVE", mailbox);
    data.step(client, campaign, 1, 0, "Hello {{firstName}}", "Hi {{firstName}}");
    data.step(client, campaign, 2, 86400, "", "Following up");
    clock.at(MONDAY_EARLY);
  }

  private SendActivitiesImpl activity() {
    return new SendActivitiesBuilder(spring).clock(clock).build();
  }

  private LeadRef lead(String email, String zone) {
    long person = data.lead(client, email, "Ada", "Acme", "{}");
    jdbc.sql("update leads set timezone = :zone where id = :id")
        .param("zone", zone)
        .param("id", person)
        .update();
    return new LeadRef(client, campaign, data.enrolment(client, campaign, person, "ACTIVE"));
  }

  private void window(String days, String start, String end) {
    jdbc.sql(
            "update campaigns set window_days = :days, window_start = cast(:start as time),"
                + " window_end = cast(:end as time) where id = :id")
        .param("days", days)
        .param("start", start)
        .param("end", end)
        .param("id", campaign)
        .update();
  }

  private void mailboxLimits(int dailyCap, int minGapSeconds) {
    jdbc.sql("update mailboxes set daily_cap = :cap, min_gap_seconds = :gap where id = :id")
        .param("cap", dailyCap)
        .param("gap", minGapSeconds)
        .param("id", mailbox)
        .update();
  }

  @Test
  void aStepDueBeforeTheWindowOpensIsDeferredToTheOpeningInTheLeadsZone() {
    window("MON,TUE,WED,THU,FRI", "09:00", "17:00");
    LeadRef berlin = lead("berlin@example.test", "Europe/Berlin");
    LeadRef newYork = lead("ny@example.test", "America/New_York");

    SendResult inBerlin = activity().sendStep(berlin, 1);
    SendResult inNewYork = activity().sendStep(newYork, 1);

    Instant berlinNine =
        ZonedDateTime.of(2026, 11, 23, 9, 0, 0, 0, ZoneId.of("Europe/Berlin")).toInstant();
    Instant newYorkNine =
        ZonedDateTime.of(2026, 11, 23, 9, 0, 0, 0, ZoneId.of("America/New_York")).toInstant();
    assertThat(inBerlin.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(inBerlin.deferUntil()).isEqualTo(berlinNine.toEpochMilli());
    assertThat(inNewYork.deferUntil()).isEqualTo(newYorkNine.toEpochMilli());
    assertThat(inBerlin.detail()).contains("send window").contains("Europe/Berlin");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(berlin.leadId(), 1)).isNull();
    assertThat(data.column(berlin.leadId(), "next_send_at", java.time.OffsetDateTime.class))
        .isEqualTo(berlinNine.atOffset(ZoneOffset.UTC));
    assertThat(data.events(berlin.leadId())).anyMatch(e -> e.startsWith("DEFERRED 1: send window"));

    clock.at(berlinNine);
    assertThat(activity().sendStep(berlin, 1).outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(activity().sendStep(newYork, 1).outcome()).isEqualTo(SendOutcome.DEFERRED);
  }

  @Test
  void aMailboxWithADailyCapOfTwoSendsTwoTodayAndSchedulesTheRestForTomorrow() {
    mailboxLimits(2, 0);
    List<SendResult> results = new ArrayList<>();
    List<LeadRef> leads = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      LeadRef lead = lead("cap" + i + "@example" + i + ".test", "Europe/Berlin");
      leads.add(lead);
      results.add(activity().sendStep(lead, 1));
    }

    assertThat(results)
        .extracting(SendResult::outcome)
        .filteredOn(SendOutcome.SENT::equals)
        .hasSize(2);
    assertThat(greenMail.getReceivedMessages()).hasSize(2);
    Instant tomorrow =
        MONDAY_EARLY
            .atZone(ZoneOffset.UTC)
            .toLocalDate()
            .plusDays(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant();
    assertThat(results.subList(2, 5))
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(SendOutcome.DEFERRED);
              assertThat(Instant.ofEpochMilli(r.deferUntil())).isAfterOrEqualTo(tomorrow);
              assertThat(r.detail()).contains("no free slot");
            });
    // Asking again today changes nothing: the reservations hold.
    assertThat(activity().sendStep(leads.get(4), 1).deferUntil())
        .isEqualTo(results.get(4).deferUntil());

    clock.at(tomorrow.plus(Duration.ofHours(8)));
    int sentTomorrow = 0;
    for (LeadRef lead : leads.subList(2, 5)) {
      if (activity().sendStep(lead, 1).outcome() == SendOutcome.SENT) {
        sentTomorrow++;
      }
    }
    assertThat(sentTomorrow).isEqualTo(2);
    assertThat(greenMail.getReceivedMessages()).hasSize(4);
  }

  @Test
  void theMinimumGapSpacesSendsAndStepsThatFellDueInAnOutageCatchUpWithoutABurst() {
    mailboxLimits(100, 300);
    LeadRef first = lead("gap1@a.test", "UTC");
    LeadRef second = lead("gap2@b.test", "UTC");
    LeadRef third = lead("gap3@c.test", "UTC");

    assertThat(activity().sendStep(first, 1).outcome()).isEqualTo(SendOutcome.SENT);
    SendResult secondResult = activity().sendStep(second, 1);
    SendResult thirdResult = activity().sendStep(third, 1);
    assertThat(secondResult.deferUntil() - clock.instant().toEpochMilli())
        .isEqualTo(Duration.ofSeconds(300).toMillis());
    assertThat(thirdResult.deferUntil() - secondResult.deferUntil())
        .isEqualTo(Duration.ofSeconds(300).toMillis());

    // An outage: nobody sends for two hours, both slots pass. After it, one goes at once and the
    // other waits a full gap again, instead of both going out together.
    clock.at(clock.instant().plus(Duration.ofHours(2)));
    SendResult secondAfter = activity().sendStep(second, 1);
    SendResult thirdAfter = activity().sendStep(third, 1);

    assertThat(secondAfter.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(thirdAfter.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(thirdAfter.deferUntil() - clock.instant().toEpochMilli())
        .isGreaterThanOrEqualTo(Duration.ofSeconds(300).toMillis());
    clock.at(Instant.ofEpochMilli(thirdAfter.deferUntil()));
    assertThat(activity().sendStep(third, 1).outcome()).isEqualTo(SendOutcome.SENT);
  }

  @Test
  void aWindowThatClosedBetweenTheTimerAndTheSendDefersToTheNextOpening() {
    window("MON,TUE,WED,THU,FRI", "09:00", "17:00");
    mailboxLimits(100, 3600);
    Instant berlinNine =
        ZonedDateTime.of(2026, 11, 23, 9, 0, 0, 0, ZoneId.of("Europe/Berlin")).toInstant();
    clock.at(berlinNine.plus(Duration.ofHours(7).plusMinutes(30))); // 16:30, one slot left today
    LeadRef first = lead("w1@a.test", "Europe/Berlin");
    LeadRef second = lead("w2@b.test", "Europe/Berlin");
    assertThat(activity().sendStep(first, 1).outcome()).isEqualTo(SendOutcome.SENT);

    // The gap pushes the second past 17:00: its slot is tomorrow's opening.
    SendResult deferred = activity().sendStep(second, 1);
    Instant tuesdayNine = berlinNine.plus(Duration.ofDays(1));
    assertThat(deferred.deferUntil()).isEqualTo(tuesdayNine.toEpochMilli());

    // The worker sleeps through Tuesday: the slot is due but the window has closed again.
    clock.at(tuesdayNine.plus(Duration.ofHours(9)));
    SendResult again = activity().sendStep(second, 1);
    assertThat(again.outcome()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(again.deferUntil()).isEqualTo(tuesdayNine.plus(Duration.ofDays(1)).toEpochMilli());
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aStepsVariantsAreSpreadOverLeadsAndRecordedInTheLedger() throws Exception {
    jdbc.sql(
            "insert into step_variants (client_id, campaign_id, step_index, variant, subject, body)"
                + " values (:client, :campaign, 1, 'B', 'Quick question, {{firstName}}',"
                + " 'Variant B body')")
        .param("client", client)
        .param("campaign", campaign)
        .update();
    List<LeadRef> leads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      LeadRef lead = lead("ab" + i + "@example.test", "UTC");
      leads.add(lead);
      assertThat(activity().sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.SENT);
    }

    List<String> variants =
        jdbc.sql("select variant from send_ledger where campaign_id = :c order by enrolment_id")
            .param("c", campaign)
            .query(String.class)
            .list();
    assertThat(variants).containsExactlyInAnyOrder("A", "A", "B", "B");
    for (MimeMessage message : greenMail.getReceivedMessages()) {
      String id = message.getMessageID();
      if (!id.contains(".s1@")) {
        continue;
      }
      long enrolment = Long.parseLong(id.replaceAll(".*\\.l(\\d+)\\..*", "$1"));
      String expected = enrolment % 2 == 0 ? "Hello Ada" : "Quick question, Ada";
      assertThat(message.getSubject()).isEqualTo(expected);
    }
    // The follow-up answers the subject the lead actually got.
    LeadRef odd = leads.stream().filter(l -> l.leadId() % 2 == 1).findFirst().orElseThrow();
    clock.at(clock.instant().plus(Duration.ofDays(1)));
    assertThat(activity().sendStep(odd, 2).outcome()).isEqualTo(SendOutcome.SENT);
    String followUpId = "<outbound.c" + campaign + ".l" + odd.leadId() + ".s2@acme.test>";
    MimeMessage followUp = null;
    for (MimeMessage message : greenMail.getReceivedMessages()) {
      if (followUpId.equals(message.getMessageID())) {
        followUp = message;
      }
    }
    assertThat(followUp).isNotNull();
    assertThat(followUp.getSubject()).isEqualTo("Re: Quick question, Ada");
  }

  @Test
  void aLeadThatStoppedWhileDeferredGivesItsSlotBack() {
    mailboxLimits(1, 0);
    LeadRef first = lead("s1@a.test", "UTC");
    LeadRef second = lead("s2@b.test", "UTC");
    LeadRef third = lead("s3@c.test", "UTC");
    assertThat(activity().sendStep(first, 1).outcome()).isEqualTo(SendOutcome.SENT);
    SendResult secondDeferred = activity().sendStep(second, 1);
    data.enrolmentStatus(second.leadId(), "REPLIED");

    assertThat(activity().sendStep(second, 1).outcome()).isEqualTo(SendOutcome.LEAD_STOPPED);
    // Tomorrow's only slot is free again, so the third lead gets it.
    assertThat(activity().sendStep(third, 1).deferUntil()).isEqualTo(secondDeferred.deferUntil());
  }

  /** A clock the test sets. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.EPOCH;

    void at(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
