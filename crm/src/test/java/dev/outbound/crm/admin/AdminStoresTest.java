package dev.outbound.crm.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.crm.ClientStore;
import dev.outbound.crm.CrmConfiguration;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.admin.CampaignStore.NewCampaign;
import dev.outbound.crm.admin.CampaignStore.NewStep;
import dev.outbound.crm.admin.CampaignStore.NewVariant;
import dev.outbound.crm.admin.LeadStore.NewLead;
import dev.outbound.crm.admin.LeadStore.Rejection;
import dev.outbound.crm.admin.MailboxStore.NewMailbox;
import dev.outbound.crm.admin.MailboxStore.Server;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.schedule.SendWindow;
import dev.outbound.vocabulary.status.CampaignStatus;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = AdminStoresTest.App.class)
@Tag("slow")
class AdminStoresTest {

  @SpringBootApplication
  @Import(CrmConfiguration.class)
  static class App {}

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  private static final AtomicInteger SEQ = new AtomicInteger();

  @Autowired ClientStore clients;
  @Autowired MailboxStore mailboxes;
  @Autowired CampaignStore campaigns;
  @Autowired CampaignTransitionStore transitions;
  @Autowired CampaignCountStore campaignCounts;
  @Autowired LeadStore leads;
  @Autowired LeadQueryStore leadQueries;
  @Autowired LeadChangeStore leadChanges;
  @Autowired TimelineStore timeline;
  @Autowired JdbcClient jdbc;

  long acme;
  long globex;

  @BeforeEach
  void clients() {
    acme = clients.ensureClient("acme", "Acme");
    globex = clients.ensureClient("globex", "Globex");
  }

  private long mailbox(long client) {
    return mailboxes.create(
        client,
        new NewMailbox(
            "sender" + SEQ.incrementAndGet() + "@example.com",
            "Sender",
            new Server("smtp.example.com", 587, "user", "smtp-secret", true),
            new Server("imap.example.com", 993, "user", "imap-secret", true),
            50,
            60));
  }

  private long campaign(long client) {
    return campaigns.create(
        client,
        new NewCampaign(
            "Spring outreach",
            "Europe/Berlin",
            List.of(mailbox(client)),
            List.of(
                new NewStep(Duration.ZERO, "Hi {{firstName|there}}", "Hello"),
                new NewStep(Duration.ofDays(3), "Re: hi", "Following up"))));
  }

  private static NewLead lead(String email) {
    return new NewLead(email, "Ada", "Lovelace", "Engines", "Europe/London", Map.of("role", "CTO"));
  }

  @Test
  void storesMailboxPasswordsEncryptedAndNeverReadsThemBack() {
    long id = mailbox(acme);

    String stored =
        jdbc.sql("select smtp_password_enc from mailboxes where id = :id")
            .param("id", id)
            .query(String.class)
            .single();
    assertThat(stored).startsWith("v1:").doesNotContain("smtp-secret");
    MailboxStore.Mailbox found = mailboxes.find(acme, id).orElseThrow();
    assertThat(found.smtp().hasPassword()).isTrue();
    assertThat(found.imap().port()).isEqualTo(993);
    assertThat(found.toString()).doesNotContain("secret");
  }

  @Test
  void rejectsASecondMailboxWithTheSameAddress() {
    NewMailbox box =
        new NewMailbox(
            "twice" + SEQ.incrementAndGet() + "@example.com",
            "Twice",
            new Server("smtp.example.com", 25, null, null, false),
            null,
            10,
            0);
    mailboxes.create(acme, box);

    assertThatThrownBy(() -> mailboxes.create(acme, box))
        .isInstanceOf(DuplicateMailboxException.class);
  }

  @Test
  void anotherClientsIdsAreNeverVisible() {
    long mailbox = mailbox(acme);
    long campaign = campaign(acme);
    leads.add(acme, campaign, List.of(lead("seen" + SEQ.incrementAndGet() + "@example.com")));
    long lead = leadQueries.list(acme, campaign, null, 0, 10).items().get(0).id();

    assertThat(mailboxes.find(globex, mailbox)).isEmpty();
    assertThat(campaigns.find(globex, campaign)).isEmpty();
    assertThat(campaigns.status(globex, campaign)).isEmpty();
    assertThat(campaigns.list(globex, 0, 100).items())
        .extracting(c -> c.id())
        .doesNotContain(campaign);
    assertThat(transitions.start(globex, campaign).outcome()).isEqualTo(ChangeOutcome.NOT_FOUND);
    assertThat(transitions.stop(globex, campaign).outcome()).isEqualTo(ChangeOutcome.NOT_FOUND);
    assertThat(leads.add(globex, campaign, List.of(lead("x@example.com")))).isEmpty();
    assertThat(leadQueries.list(globex, campaign, null, 0, 10).total()).isZero();
    assertThat(leadQueries.find(globex, lead)).isEmpty();
    assertThat(leadQueries.state(globex, lead)).isEmpty();
    assertThat(leadChanges.markTerminal(globex, lead, "REPLIED", "x").outcome())
        .isEqualTo(ChangeOutcome.NOT_FOUND);
    assertThat(campaignCounts.counts(globex, campaign).leads()).isZero();
    assertThat(campaigns.status(acme, campaign)).contains(CampaignStatus.DRAFT);
    assertThat(leadQueries.state(acme, lead).orElseThrow().status()).isEqualTo("PENDING");
  }

  @Test
  void refusesACampaignWithAMailboxOfAnotherClientAndWritesNothing() {
    long foreign = mailbox(globex);
    long before = jdbc.sql("select count(*) from campaigns").query(Long.class).single();

    assertThatThrownBy(
            () ->
                campaigns.create(
                    acme,
                    new NewCampaign(
                        "Sneaky",
                        "UTC",
                        List.of(mailbox(acme), foreign),
                        List.of(new NewStep(Duration.ZERO, "s", "b")))))
        .isInstanceOfSatisfying(
            UnknownMailboxesException.class, e -> assertThat(e.ids()).containsExactly(foreign));
    assertThat(jdbc.sql("select count(*) from campaigns").query(Long.class).single())
        .isEqualTo(before);
  }

  @Test
  void createsACampaignWithNumberedStepsAndItsMailboxPool() {
    long campaign = campaign(acme);

    CampaignStore.Campaign found = campaigns.find(acme, campaign).orElseThrow();
    assertThat(found.status()).isEqualTo(CampaignStatus.DRAFT);
    assertThat(found.mailboxIds()).hasSize(1);
    assertThat(found.steps())
        .extracting(CampaignStore.Step::index, CampaignStore.Step::delaySeconds)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 0L),
            org.assertj.core.groups.Tuple.tuple(2, Duration.ofDays(3).toSeconds()));
  }

  @Test
  void storesASendWindowADomainLimitAndVariantsAndCountsSendsPerVariantForItsClientOnly() {
    SendWindow window = SendWindow.of("FRI,MON", LocalTime.of(8, 30), LocalTime.of(16, 0), true);
    long campaign =
        campaigns.create(
            acme,
            new NewCampaign(
                "A/B",
                "Europe/Berlin",
                List.of(mailbox(acme)),
                List.of(
                    new NewStep(
                        Duration.ZERO,
                        "A subject",
                        "A body",
                        List.of(new NewVariant("B subject", "B body"))),
                    new NewStep(Duration.ofDays(1), "", "follow-up")),
                window,
                15));
    leads.add(acme, campaign, List.of(lead("ab" + SEQ.incrementAndGet() + "@example.com")));
    long lead = leadQueries.list(acme, campaign, null, 0, 10).items().get(0).id();
    jdbc.sql(
            "insert into send_ledger (client_id, campaign_id, enrolment_id, step_index,"
                + " mailbox_id, message_id, status, variant) select e.client_id, e.campaign_id,"
                + " e.id, 1, cm.mailbox_id, :mid, 'SENT', 'B' from enrolments e"
                + " join campaign_mailboxes cm on cm.campaign_id = e.campaign_id where e.id = :id")
        .param("mid", "<ab" + lead + "@example.com>")
        .param("id", lead)
        .update();

    CampaignStore.Campaign found = campaigns.find(acme, campaign).orElseThrow();
    assertThat(found.window()).isEqualTo(window);
    assertThat(found.domainHourlyLimit()).isEqualTo(15);
    assertThat(found.steps().get(0).variants())
        .containsExactly(new CampaignStore.Variant("B", "B subject", "B body"));
    assertThat(found.steps().get(1).variants()).isEmpty();
    assertThat(campaignCounts.sentPerVariant(acme, campaign))
        .containsExactly(
            new CampaignCountStore.VariantSent(1, "A", 0),
            new CampaignCountStore.VariantSent(1, "B", 1));
    assertThat(campaignCounts.sentPerVariant(globex, campaign)).isEmpty();
    assertThat(campaigns.find(acme, campaign(acme)).orElseThrow().window()).isNull();
  }

  @Test
  void refusesMoreThanTwentyFiveVariantsOfAStep() {
    List<NewVariant> variants =
        java.util.stream.IntStream.range(0, 26).mapToObj(i -> new NewVariant("s", "b")).toList();

    assertThatThrownBy(() -> new NewStep(Duration.ZERO, "s", "b", variants))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CampaignStore.variantLetter(0)).isEqualTo("B");
    assertThat(CampaignStore.variantLetter(24)).isEqualTo("Z");
  }

  @Test
  void storesAMailboxsPacingSettings() {
    long id =
        mailboxes.create(
            acme,
            new NewMailbox(
                "pacing" + SEQ.incrementAndGet() + "@example.com",
                "Pacing",
                new Server("smtp.example.com", 587, null, null, true),
                null,
                40,
                300,
                90,
                "America/Chicago",
                new MailboxStore.Warmup(5, 2, LocalDate.of(2026, 11, 2))));

    MailboxStore.Mailbox found = mailboxes.find(acme, id).orElseThrow();
    assertThat(found.jitterSeconds()).isEqualTo(90);
    assertThat(found.timezone()).isEqualTo("America/Chicago");
    assertThat(found.warmup()).isEqualTo(new MailboxStore.Warmup(5, 2, LocalDate.of(2026, 11, 2)));
    assertThat(mailboxes.find(acme, mailbox(acme)).orElseThrow().warmup()).isNull();
  }

  @Test
  void startsADraftOnceAndTreatsAStartOfAnActiveCampaignAsUnchanged() {
    long campaign = campaign(acme);

    assertThat(transitions.start(acme, campaign).outcome()).isEqualTo(ChangeOutcome.CHANGED);
    assertThat(transitions.start(acme, campaign).outcome()).isEqualTo(ChangeOutcome.UNCHANGED);
    assertThat(campaigns.find(acme, campaign).orElseThrow().startedAt()).isNotNull();
  }

  @Test
  void concurrentStartsChangeTheCampaignExactlyOnce() throws Exception {
    long campaign = campaign(acme);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<CampaignTransitionStore.Transition>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(
            pool.submit(
                (Callable<CampaignTransitionStore.Transition>)
                    () -> transitions.start(acme, campaign)));
      }
      int changed = 0;
      for (Future<CampaignTransitionStore.Transition> r : results) {
        if (r.get().outcome() == ChangeOutcome.CHANGED) {
          changed++;
        }
      }
      assertThat(changed).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesToStartACampaignWithoutSteps() {
    long campaign =
        campaigns.create(acme, new NewCampaign("Empty", "UTC", List.of(mailbox(acme)), List.of()));

    CampaignTransitionStore.Transition t = transitions.start(acme, campaign);

    assertThat(t.outcome()).isEqualTo(ChangeOutcome.CONFLICT);
    assertThat(t.reason()).contains("at least one step");
    assertThat(campaigns.status(acme, campaign)).contains(CampaignStatus.DRAFT);
  }

  @Test
  void pausesResumesAndStopsOnlyFromTheRightStatus() {
    long campaign = campaign(acme);

    assertThat(transitions.pause(acme, campaign).outcome()).isEqualTo(ChangeOutcome.CONFLICT);
    transitions.start(acme, campaign);
    assertThat(transitions.resume(acme, campaign).outcome()).isEqualTo(ChangeOutcome.UNCHANGED);
    assertThat(transitions.pause(acme, campaign).outcome()).isEqualTo(ChangeOutcome.CHANGED);
    assertThat(transitions.pause(acme, campaign).outcome()).isEqualTo(ChangeOutcome.UNCHANGED);
    assertThat(transitions.start(acme, campaign).outcome()).isEqualTo(ChangeOutcome.CONFLICT);
    assertThat(transitions.resume(acme, campaign).outcome()).isEqualTo(ChangeOutcome.CHANGED);
    CampaignTransitionStore.Transition stop = transitions.stop(acme, campaign);
    assertThat(stop.outcome()).isEqualTo(ChangeOutcome.CHANGED);
    assertThat(stop.started()).isTrue();
    assertThat(transitions.stop(acme, campaign).outcome()).isEqualTo(ChangeOutcome.UNCHANGED);
    assertThat(transitions.start(acme, campaign).outcome()).isEqualTo(ChangeOutcome.CONFLICT);
    assertThat(transitions.resume(acme, campaign).outcome()).isEqualTo(ChangeOutcome.CONFLICT);
  }

  @Test
  void stoppingADraftStopsItsPendingLeadsWithATimelineEvent() {
    long campaign = campaign(acme);
    leads.add(acme, campaign, List.of(lead("draft" + SEQ.incrementAndGet() + "@example.com")));

    CampaignTransitionStore.Transition stop = transitions.stop(acme, campaign);

    assertThat(stop.started()).isFalse();
    LeadRow row = leadQueries.list(acme, campaign, null, 0, 10).items().get(0);
    assertThat(row.status()).isEqualTo("STOPPED");
    assertThat(timeline.list(acme, row.id()))
        .extracting(TimelineStore.Event::type)
        .contains("STOPPED");
    assertThat(campaignCounts.counts(acme, campaign).stopped()).isEqualTo(1);
  }

  @Test
  void rejectsDuplicatesWithinTheRequestAndWithinTheCampaign() {
    long campaign = campaign(acme);
    String a = "dup" + SEQ.incrementAndGet() + "@example.com";
    leads.add(acme, campaign, List.of(lead(a)));

    String b = "new" + SEQ.incrementAndGet() + "@example.com";
    LeadStore.AddResult result =
        leads
            .add(acme, campaign, List.of(lead(b), lead(a.toUpperCase()), lead(b.toUpperCase())))
            .orElseThrow();

    assertThat(result.accepted()).isEqualTo(1);
    assertThat(result.rejected()).extracting(Rejection::index).containsExactly(1, 2);
    assertThat(result.rejected().get(0).reason()).contains("already in this campaign");
    assertThat(result.rejected().get(1).reason()).contains("index 0");
    assertThat(leadQueries.list(acme, campaign, null, 0, 10).total()).isEqualTo(2);
  }

  @Test
  void enrolsTheSamePersonInTwoCampaignsAsOnePerson() {
    String email = "person" + SEQ.incrementAndGet() + "@example.com";
    long first = campaign(acme);
    long second = campaign(acme);

    leads.add(acme, first, List.of(lead(email)));
    leads.add(
        acme,
        second,
        List.of(new NewLead(email.toUpperCase(), "Augusta", null, null, null, Map.of("x", "1"))));

    long people =
        jdbc.sql("select count(*) from leads where client_id = :c and lower(email) = :e")
            .param("c", acme)
            .param("e", email)
            .query(Long.class)
            .single();
    assertThat(people).isEqualTo(1);
    LeadDetail detail =
        leadQueries
            .find(acme, leadQueries.list(acme, first, null, 0, 1).items().get(0).id())
            .orElseThrow();
    assertThat(detail.firstName()).isEqualTo("Augusta");
    assertThat(detail.lastName()).isEqualTo("Lovelace");
    assertThat(detail.fieldsJson()).contains("\"role\"").contains("\"x\"");
  }

  @Test
  void addsTenThousandLeadsInOneCall() {
    long campaign = campaign(acme);
    int run = SEQ.incrementAndGet();
    List<NewLead> many = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      many.add(lead("bulk" + run + "-" + i + "@example.com"));
    }

    LeadStore.AddResult result = leads.add(acme, campaign, many).orElseThrow();

    assertThat(result.accepted()).isEqualTo(10_000);
    assertThat(result.rejected()).isEmpty();
    assertThat(campaignCounts.counts(acme, campaign).pending()).isEqualTo(10_000);
  }

  @Test
  void refusesLeadsForAStoppedCampaign() {
    long campaign = campaign(acme);
    transitions.stop(acme, campaign);

    assertThatThrownBy(() -> leads.add(acme, campaign, List.of(lead("late@example.com"))))
        .isInstanceOf(CampaignStateException.class);
    assertThat(leadQueries.list(acme, campaign, null, 0, 10).total()).isZero();
  }

  @Test
  void pagesLeadsAndFiltersThemByStatus() {
    long campaign = campaign(acme);
    int run = SEQ.incrementAndGet();
    List<NewLead> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(lead("page" + run + "-" + i + "@example.com"));
    }
    leads.add(acme, campaign, five);
    long first = leadQueries.list(acme, campaign, null, 0, 1).items().get(0).id();
    leadChanges.markTerminal(acme, first, "REPLIED", "operator");

    Page<LeadRow> second = leadQueries.list(acme, campaign, null, 1, 2);
    assertThat(second.total()).isEqualTo(5);
    assertThat(second.items()).hasSize(2);
    assertThat(second.items().get(0).email()).isEqualTo("page" + run + "-2@example.com");
    assertThat(leadQueries.list(acme, campaign, "PENDING", 0, 10).total()).isEqualTo(4);
    assertThat(leadQueries.list(acme, campaign, "REPLIED", 0, 10).items())
        .extracting(LeadRow::id)
        .containsExactly(first);
  }

  @Test
  void marksAnOperatorEventOncePerChangeAndRefusesOneThatGoesBack() {
    long campaign = campaign(acme);
    leads.add(acme, campaign, List.of(lead("event" + SEQ.incrementAndGet() + "@example.com")));
    long lead = leadQueries.list(acme, campaign, null, 0, 1).items().get(0).id();

    assertThat(leadChanges.markTerminal(acme, lead, "MEETING_BOOKED", "by phone").outcome())
        .isEqualTo(ChangeOutcome.CHANGED);
    assertThat(leadChanges.markTerminal(acme, lead, "MEETING_BOOKED", "again").outcome())
        .isEqualTo(ChangeOutcome.UNCHANGED);
    assertThat(leadChanges.markTerminal(acme, lead, "REPLIED", "late").outcome())
        .isEqualTo(ChangeOutcome.CONFLICT);

    assertThat(leadQueries.state(acme, lead).orElseThrow().status()).isEqualTo("MEETING_BOOKED");
    assertThat(timeline.list(acme, lead))
        .extracting(TimelineStore.Event::type)
        .containsExactly("ENROLLED", "MEETING_BOOKED");
    CampaignCounts counts = campaignCounts.counts(acme, campaign);
    assertThat(counts.meetingBooked()).isEqualTo(1);
    assertThat(counts.leads()).isEqualTo(1);
  }

  @Test
  void countsSentEmailsPerStepFromTheLedger() {
    long campaign = campaign(acme);
    leads.add(acme, campaign, List.of(lead("sent" + SEQ.incrementAndGet() + "@example.com")));
    long lead = leadQueries.list(acme, campaign, null, 0, 1).items().get(0).id();
    long mailbox = campaigns.find(acme, campaign).orElseThrow().mailboxIds().get(0);
    jdbc.sql(
            "insert into send_ledger (client_id, campaign_id, enrolment_id, step_index, mailbox_id,"
                + " message_id, status) values (:c, :camp, :lead, 1, :m, :mid, 'SENT')")
        .param("c", acme)
        .param("camp", campaign)
        .param("lead", lead)
        .param("m", mailbox)
        .param("mid", "<" + campaign + "." + lead + ".1@test>")
        .update();

    assertThat(campaignCounts.sentPerStep(acme, campaign))
        .containsExactly(
            new CampaignCountStore.StepSent(1, 1), new CampaignCountStore.StepSent(2, 0));
    assertThat(campaignCounts.sentPerStep(globex, campaign)).isEmpty();
  }
}
