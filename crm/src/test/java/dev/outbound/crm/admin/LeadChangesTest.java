package dev.outbound.crm.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.crm.ClientStore;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.admin.CampaignStore.NewCampaign;
import dev.outbound.crm.admin.CampaignStore.NewStep;
import dev.outbound.crm.admin.LeadChangeStore.EventResult;
import dev.outbound.crm.admin.LeadStore.NewLead;
import dev.outbound.crm.admin.MailboxStore.NewMailbox;
import dev.outbound.crm.admin.MailboxStore.Server;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.status.LeadStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Operator events on leads in every status, and corrections of a lead's data. */
@SpringBootTest(classes = AdminStoresTest.App.class)
@Tag("slow")
class LeadChangesTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  private static final AtomicInteger SEQ = new AtomicInteger();

  @Autowired ClientStore clients;
  @Autowired MailboxStore mailboxes;
  @Autowired CampaignStore campaigns;
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

  private long campaign() {
    long mailbox =
        mailboxes.create(
            acme,
            new NewMailbox(
                "sender" + SEQ.incrementAndGet() + "@example.com",
                "Sender",
                new Server("smtp.example.com", 587, "user", "secret", true),
                null,
                50,
                60));
    return campaigns.create(
        acme,
        new NewCampaign(
            "Changes",
            "Europe/Berlin",
            List.of(mailbox),
            List.of(new NewStep(Duration.ZERO, "Hi {{firstName|there}}", "Hello"))));
  }

  private long lead(long campaign, String email) {
    leads.add(
        acme,
        campaign,
        List.of(
            new NewLead(
                email, "Ada", "Lovelace", "Engines", "Europe/London", Map.of("role", "CTO"))));
    return leadQueries.list(acme, campaign, null, 0, 100).items().stream()
        .filter(r -> r.email().equals(email))
        .findFirst()
        .orElseThrow()
        .id();
  }

  /** A started lead in {@code status}, as the sequence would have left it. */
  private long leadIn(String status) {
    long lead = lead(campaign(), "lead" + SEQ.incrementAndGet() + "@example.com");
    jdbc.sql("update enrolments set status = :s, started_at = now() where id = :id")
        .param("s", status)
        .param("id", lead)
        .update();
    return lead;
  }

  private List<String> events(long lead) {
    return timeline.list(acme, lead).stream().map(TimelineStore.Event::type).toList();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "PENDING, REPLIED",
    "ACTIVE, MEETING_BOOKED",
    "PAUSED, UNSUBSCRIBED",
    "HELD, REPLIED",
    "COMPLETED, REPLIED",
    "COMPLETED, MEETING_BOOKED",
    "COMPLETED, UNSUBSCRIBED",
    "STOPPED, REPLIED",
    "STOPPED, MEETING_BOOKED",
    "STOPPED, UNSUBSCRIBED",
    "FAILED, REPLIED",
    "FAILED, MEETING_BOOKED",
    "FAILED, UNSUBSCRIBED",
    "REPLIED, MEETING_BOOKED",
    "REPLIED, UNSUBSCRIBED",
    "MEETING_BOOKED, UNSUBSCRIBED"
  })
  void recordsAnOperatorEventFromAnAllowedStatusWithOneTimelineEvent(String from, String to) {
    long lead = leadIn(from);

    EventResult result = leadChanges.markTerminal(acme, lead, to, "by phone");

    assertThat(result.outcome()).isEqualTo(ChangeOutcome.CHANGED);
    assertThat(result.previousStatus()).isEqualTo(from);
    assertThat(result.state().status()).isEqualTo(to);
    assertThat(result.state().started()).isTrue();
    assertThat(leadQueries.state(acme, lead).orElseThrow().status()).isEqualTo(to);
    assertThat(leadQueries.find(acme, lead).orElseThrow().nextSendAt()).isNull();
    assertThat(events(lead)).containsExactly("ENROLLED", to);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "BOUNCED, REPLIED",
    "BOUNCED, MEETING_BOOKED",
    "BOUNCED, UNSUBSCRIBED",
    "UNSUBSCRIBED, REPLIED",
    "UNSUBSCRIBED, MEETING_BOOKED",
    "MEETING_BOOKED, REPLIED"
  })
  void refusesAnOperatorEventFromAStatusThatDoesNotAllowIt(String from, String to) {
    long lead = leadIn(from);

    EventResult result = leadChanges.markTerminal(acme, lead, to, "late");

    assertThat(result.outcome()).isEqualTo(ChangeOutcome.CONFLICT);
    assertThat(result.state().status()).isEqualTo(from);
    assertThat(leadQueries.state(acme, lead).orElseThrow().status()).isEqualTo(from);
    assertThat(events(lead)).containsExactly("ENROLLED");
  }

  @ParameterizedTest
  @CsvSource({"REPLIED", "MEETING_BOOKED", "UNSUBSCRIBED"})
  void theSameEventAgainChangesNothingAndWritesNoSecondEvent(String status) {
    long lead = leadIn("ACTIVE");
    leadChanges.markTerminal(acme, lead, status, "first");

    EventResult again = leadChanges.markTerminal(acme, lead, status, "again");

    assertThat(again.outcome()).isEqualTo(ChangeOutcome.UNCHANGED);
    assertThat(again.previousStatus()).isEqualTo(status);
    assertThat(events(lead)).containsExactly("ENROLLED", status);
  }

  @Test
  void theSequenceStatusesStillOnlyFollowARunningLead() {
    assertThat(LeadStatus.BOUNCED.allowedFrom()).isEqualTo(LeadStatus.NOT_ENDED);
    assertThat(LeadStatus.COMPLETED.allowedFrom()).isEqualTo(LeadStatus.NOT_ENDED);
    long lead = leadIn("REPLIED");

    assertThat(leadChanges.markTerminal(acme, lead, "COMPLETED", "x").outcome())
        .isEqualTo(ChangeOutcome.CONFLICT);
    assertThat(leadChanges.markTerminal(globex, lead, "UNSUBSCRIBED", "x").outcome())
        .isEqualTo(ChangeOutcome.NOT_FOUND);
  }

  @Test
  void correctsTheLeadsPersonAndNamesTheChangedFieldsWithoutTheirValues() {
    long campaign = campaign();
    String email = "fix" + SEQ.incrementAndGet() + "@example.com";
    long lead = lead(campaign, email);
    long other = lead(campaign(), email);

    List<String> changed =
        leadChanges
            .update(
                acme,
                lead,
                new LeadUpdate("Augusta", null, "Engines", "Europe/Paris", Map.of("plan", "Pro")))
            .orElseThrow();

    assertThat(changed).containsExactly("firstName", "timezone", "fields");
    LeadDetail detail = leadQueries.find(acme, lead).orElseThrow();
    assertThat(detail.firstName()).isEqualTo("Augusta");
    assertThat(detail.lastName()).isEqualTo("Lovelace");
    assertThat(detail.company()).isEqualTo("Engines");
    assertThat(detail.timezone()).isEqualTo("Europe/Paris");
    assertThat(detail.fieldsJson()).contains("plan").doesNotContain("role");
    TimelineStore.Event event = timeline.list(acme, lead).get(1);
    assertThat(event.type()).isEqualTo("UPDATED");
    assertThat(event.detail())
        .contains("firstName, timezone, fields")
        .doesNotContain("Augusta")
        .doesNotContain("Paris")
        .doesNotContain("Pro");
    // The person is shared: the enrolment in the other campaign sees the change and why.
    assertThat(leadQueries.find(acme, other).orElseThrow().firstName()).isEqualTo("Augusta");
    assertThat(timeline.list(acme, other).get(1).detail())
        .contains("through lead " + lead)
        .contains("firstName");
  }

  @Test
  void writesNoEventWhenNothingChangesAndFindsNoLeadOfAnotherClient() {
    long lead = lead(campaign(), "same" + SEQ.incrementAndGet() + "@example.com");

    assertThat(leadChanges.update(acme, lead, new LeadUpdate(null, null, null, null, null)))
        .contains(List.of());
    assertThat(leadChanges.update(acme, lead, new LeadUpdate("Ada", null, null, null, null)))
        .contains(List.of());
    assertThat(leadChanges.update(globex, lead, new LeadUpdate("Mallory", null, null, null, null)))
        .isEmpty();

    assertThat(events(lead)).containsExactly("ENROLLED");
    assertThat(leadQueries.find(acme, lead).orElseThrow().firstName()).isEqualTo("Ada");
  }
}
