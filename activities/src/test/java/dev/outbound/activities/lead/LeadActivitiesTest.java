package dev.outbound.activities.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.activities.ActivitiesTestApp;
import dev.outbound.activities.TestData;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.workflows.FailureType;
import dev.outbound.workflows.LeadActivities;
import dev.outbound.workflows.LeadProgress;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SequencePlan;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = ActivitiesTestApp.class)
@Tag("slow")
class LeadActivitiesTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired
  @Qualifier("leadActivities")
  LeadActivities activities;

  @Autowired JdbcClient jdbc;
  @Autowired CredentialCipher cipher;

  TestData data;
  long client;
  long mailbox;
  long campaign;
  long enrolment;
  LeadRef lead;

  @BeforeEach
  void campaignWithOneLead() {
    data = new TestData(jdbc, cipher);
    client = data.client("acme");
    mailbox = data.mailbox(client, "sales@acme.test", "Sam", 25);
    campaign = data.campaign(client, "ACTIVE", mailbox);
    data.step(client, campaign, 1, 0, "One", "Body");
    data.step(client, campaign, 2, 86400, "", "Body");
    data.step(client, campaign, 3, 172800, "", "Body");
    enrolment =
        data.enrolment(
            client, campaign, data.lead(client, "ada@example.test", "Ada", "E", "{}"), "PENDING");
    lead = new LeadRef(client, campaign, enrolment);
  }

  @Test
  void beginPlansEveryStepAndMarksTheLeadActiveOnceHoweverOftenItRuns() {
    SequencePlan plan = activities.begin(lead);
    SequencePlan again = activities.begin(lead);

    assertThat(plan.steps())
        .containsExactly(
            new PlannedStep(1, 0), new PlannedStep(2, 86400), new PlannedStep(3, 172800));
    assertThat(plan.lastSentStep()).isZero();
    assertThat(plan.terminalStatus()).isNull();
    assertThat(again).isEqualTo(plan);
    assertThat(data.status(enrolment)).isEqualTo("ACTIVE");
    assertThat(data.column(enrolment, "started_at", OffsetDateTime.class)).isNotNull();
    assertThat(data.events(enrolment)).containsExactly("STARTED 0: sequence started with 3 steps");
  }

  @Test
  void beginContinuesAfterTheStepsThatWentOutOrMayHave() {
    data.ledgerRow(client, campaign, enrolment, 1, mailbox, "SENT");
    data.ledgerRow(client, campaign, enrolment, 2, mailbox, "AMBIGUOUS");
    data.ledgerRow(client, campaign, enrolment, 3, mailbox, "FAILED");

    assertThat(activities.begin(lead).lastSentStep()).isEqualTo(2);
  }

  @Test
  void beginReportsALeadThatAlreadyEndedAndLeavesIt() {
    data.enrolmentStatus(enrolment, "UNSUBSCRIBED");

    SequencePlan plan = activities.begin(lead);

    assertThat(plan.terminalStatus()).isEqualTo(LeadStatus.UNSUBSCRIBED);
    assertThat(data.status(enrolment)).isEqualTo("UNSUBSCRIBED");
    assertThat(data.events(enrolment)).isEmpty();
  }

  @Test
  void recordStoresStatusStepAndDueTimeWithATimelineEvent() {
    Instant due = Instant.parse("2026-12-01T09:00:00Z");

    activities.record(
        new LeadProgress(
            lead, LeadStatus.ACTIVE, 1, due.toEpochMilli(), TimelineEvent.SCHEDULED, 2, "due"));
    activities.record(
        new LeadProgress(
            lead, LeadStatus.ACTIVE, 1, due.toEpochMilli(), TimelineEvent.SCHEDULED, 2, "due"));

    assertThat(data.status(enrolment)).isEqualTo("ACTIVE");
    assertThat(data.column(enrolment, "current_step", Integer.class)).isEqualTo(1);
    assertThat(data.column(enrolment, "next_send_at", OffsetDateTime.class).toInstant())
        .isEqualTo(due);
    assertThat(data.column(enrolment, "last_outcome", String.class)).isEqualTo("SCHEDULED step 2");
    assertThat(data.events(enrolment)).containsExactly("SCHEDULED 2: due");
  }

  @Test
  void aLateNonTerminalUpdateNeitherChangesAnEndedLeadNorAddsToItsTimeline() {
    activities.record(
        new LeadProgress(lead, LeadStatus.REPLIED, 1, null, TimelineEvent.REPLIED, 1, "reply"));
    activities.record(
        new LeadProgress(lead, LeadStatus.PAUSED, 1, null, TimelineEvent.PAUSED, 2, "paused"));

    assertThat(data.status(enrolment)).isEqualTo("REPLIED");
    assertThat(data.events(enrolment)).containsExactly("REPLIED 1: reply");
  }

  @Test
  void theFirstTerminalStatusWins() {
    activities.record(
        new LeadProgress(lead, LeadStatus.BOUNCED, 1, null, TimelineEvent.BOUNCED, 1, "bounce"));
    activities.record(
        new LeadProgress(lead, LeadStatus.STOPPED, 1, null, TimelineEvent.STOPPED, 1, "stop"));

    assertThat(data.status(enrolment)).isEqualTo("BOUNCED");
  }

  @Test
  void findsNothingForAnotherClientsIds() {
    LeadRef foreign = new LeadRef(data.client("other"), campaign, enrolment);

    assertThatThrownBy(() -> activities.begin(foreign))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureType.NOT_FOUND.name()));
    assertThatThrownBy(
            () ->
                activities.record(
                    new LeadProgress(
                        foreign, LeadStatus.ACTIVE, 1, null, TimelineEvent.SCHEDULED, 1, "x")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureType.NOT_FOUND.name()));
    assertThat(data.status(enrolment)).isEqualTo("PENDING");
  }
}
