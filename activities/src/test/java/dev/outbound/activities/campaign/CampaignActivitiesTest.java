package dev.outbound.activities.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.activities.ActivitiesTestApp;
import dev.outbound.activities.TestData;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.workflows.CampaignAction;
import dev.outbound.workflows.CampaignActivities;
import dev.outbound.workflows.FailureType;
import dev.outbound.workflows.FanOutPage;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SequencePlan;
import dev.outbound.workflows.WorkflowIds;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The campaign fan-out against a real Temporal test server (started workflows are real executions;
 * no worker runs them, so they stay open) and a real PostgreSQL. The activity runs in Temporal's
 * activity test environment, which gives it a real execution context to heartbeat on.
 */
@SpringBootTest(classes = ActivitiesTestApp.class)
@Tag("slow")
class CampaignActivitiesTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired
  @Qualifier("campaignActivities")
  CampaignActivities implementation;

  @Autowired WorkflowClient client;
  @Autowired JdbcClient jdbc;
  @Autowired CredentialCipher cipher;

  TestActivityEnvironment environment;
  CampaignActivities activities;
  TestData data;
  long clientId;
  long campaign;
  List<Long> leads;

  @BeforeEach
  void campaignWithThreeLeads() {
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(implementation);
    activities =
        environment.newActivityStub(
            CampaignActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    data = new TestData(jdbc, cipher);
    clientId = data.client("acme");
    campaign = data.campaign(clientId, "ACTIVE", data.mailbox(clientId, "s@acme.test", "S", 25));
    leads = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      long person = data.lead(clientId, name + "@example.test", name, "Co", "{}");
      leads.add(data.enrolment(clientId, campaign, person, "PENDING"));
    }
  }

  @AfterEach
  void closeEnvironment() {
    environment.close();
  }

  private WorkflowExecutionDescription describe(long lead) {
    return client.newUntypedWorkflowStub(WorkflowIds.leadSequence(campaign, lead)).describe();
  }

  @Test
  void startsOneSequencePerPendingLeadInPages() {
    FanOutPage first = activities.enrolPending(clientId, campaign, 2);
    FanOutPage second = activities.enrolPending(clientId, campaign, 2);
    FanOutPage none = activities.enrolPending(clientId, campaign, 2);

    assertThat(first).isEqualTo(new FanOutPage(2, leads.get(1), true));
    assertThat(second).isEqualTo(new FanOutPage(1, leads.get(2), false));
    assertThat(none.processed()).isZero();
    assertThat(none.more()).isFalse();
    for (long lead : leads) {
      WorkflowExecutionDescription description = describe(lead);
      assertThat(description.getWorkflowType()).isEqualTo("LeadSequenceWorkflow");
      assertThat(description.getStatus())
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
      assertThat(data.column(lead, "started_at", OffsetDateTime.class)).isNotNull();
    }
  }

  @Test
  void aPageActivatesItsLeadsAndStartsTheirSequencesWithThePlanAndTheFirstDueTime() {
    data.step(clientId, campaign, 1, 3_600, "Hello", "Hi");
    data.step(clientId, campaign, 2, 86_400, "", "Again");
    data.enrolmentStatus(leads.get(2), "UNSUBSCRIBED");
    long before = System.currentTimeMillis();

    activities.enrolPending(clientId, campaign, 10);

    for (long lead : leads.subList(0, 2)) {
      assertThat(data.status(lead)).isEqualTo("ACTIVE");
      assertThat(data.column(lead, "next_send_at", OffsetDateTime.class).toInstant().toEpochMilli())
          .isBetween(before + 3_600_000L, System.currentTimeMillis() + 3_600_000L);
      assertThat(data.events(lead))
          .containsExactly(
              "STARTED 0: sequence started with 2 steps", "SCHEDULED 1: step 1 due in 3600s");
      SequencePlan plan = startInput(lead);
      assertThat(plan.steps())
          .containsExactly(new PlannedStep(1, 3_600), new PlannedStep(2, 86_400));
      assertThat(plan.firstDueAtMillis())
          .isEqualTo(
              data.column(lead, "next_send_at", OffsetDateTime.class).toInstant().toEpochMilli());
      assertThat(plan.terminalStatus()).isNull();
      // Nothing runs until the step is due: the start is delayed to it, not followed by a timer.
      assertThat(firstTaskBackoffMillis(lead))
          .isBetween(3_600_000L - (System.currentTimeMillis() - before), 3_600_000L);
    }
    // A lead that ended before its sequence started keeps its status; its sequence ends at once.
    assertThat(data.status(leads.get(2))).isEqualTo("UNSUBSCRIBED");
    assertThat(data.events(leads.get(2))).isEmpty();
    assertThat(startInput(leads.get(2)).terminalStatus()).isEqualTo(LeadStatus.UNSUBSCRIBED);
    assertThat(firstTaskBackoffMillis(leads.get(2))).isZero();

    // A page repeated after a crash (starts done, marks lost) changes neither times nor timelines.
    OffsetDateTime due = data.column(leads.get(0), "next_send_at", OffsetDateTime.class);
    data.started(leads.get(0), false);
    activities.enrolPending(clientId, campaign, 10);
    assertThat(data.column(leads.get(0), "next_send_at", OffsetDateTime.class)).isEqualTo(due);
    assertThat(data.events(leads.get(0))).hasSize(2);
  }

  /** The start delay of a lead's sequence (its started event's first workflow task backoff). */
  private long firstTaskBackoffMillis(long lead) {
    com.google.protobuf.Duration backoff =
        client
            .fetchHistory(WorkflowIds.leadSequence(campaign, lead))
            .getEvents()
            .get(0)
            .getWorkflowExecutionStartedEventAttributes()
            .getFirstWorkflowTaskBackoff();
    return backoff.getSeconds() * 1_000 + backoff.getNanos() / 1_000_000;
  }

  /** The plan a lead's sequence was started with (its second workflow argument). */
  private SequencePlan startInput(long lead) {
    io.temporal.api.common.v1.Payloads input =
        client
            .fetchHistory(WorkflowIds.leadSequence(campaign, lead))
            .getEvents()
            .get(0)
            .getWorkflowExecutionStartedEventAttributes()
            .getInput();
    return io.temporal.common.converter.DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
        input.getPayloads(1), SequencePlan.class, SequencePlan.class);
  }

  @Test
  void enrollingAgainAfterALostMarkStartsNoSecondSequence() {
    activities.enrolPending(clientId, campaign, 10);
    List<String> runs = new ArrayList<>();
    for (long lead : leads) {
      runs.add(describe(lead).getExecution().getRunId());
      // As if the worker died after starting the sequence and before marking it started.
      data.started(lead, false);
    }

    FanOutPage again = activities.enrolPending(clientId, campaign, 10);

    assertThat(again.processed()).isEqualTo(3);
    for (int i = 0; i < leads.size(); i++) {
      assertThat(describe(leads.get(i)).getExecution().getRunId()).isEqualTo(runs.get(i));
      assertThat(data.column(leads.get(i), "started_at", OffsetDateTime.class)).isNotNull();
    }
  }

  @Test
  void aStoppedCampaignClosesItsPendingLeadsWithoutStartingSequences() {
    data.campaignStatus(campaign, "STOPPED");
    data.enrolmentStatus(leads.get(2), "REPLIED");

    FanOutPage page = activities.enrolPending(clientId, campaign, 10);

    assertThat(page).isEqualTo(new FanOutPage(3, leads.get(2), false));
    assertThat(data.status(leads.get(0))).isEqualTo("STOPPED");
    assertThat(data.status(leads.get(2))).isEqualTo("REPLIED");
    assertThat(data.events(leads.get(0)))
        .containsExactly("STOPPED 0: campaign stopped before the sequence started");
    for (long lead : leads) {
      assertThatThrownBy(() -> describe(lead)).isNotNull();
    }
  }

  @Test
  void signalsRunningSequencesAndSkipsClosedOrMissingOnes() {
    activities.enrolPending(clientId, campaign, 10);
    client
        .newUntypedWorkflowStub(WorkflowIds.leadSequence(campaign, leads.get(1)))
        .terminate("test: the sequence ended");
    long neverRan =
        data.enrolment(
            clientId, campaign, data.lead(clientId, "d@example.test", "d", "Co", "{}"), "ACTIVE");
    data.started(neverRan, true);

    FanOutPage page = activities.signalLeads(clientId, campaign, CampaignAction.PAUSE, 0, 10);

    assertThat(page).isEqualTo(new FanOutPage(4, neverRan, false));
    assertThat(signals(leads.get(0))).containsExactly("campaignPaused");
    assertThat(signals(leads.get(2))).containsExactly("campaignPaused");
    // Signal-with-start (it wakes a sequence whose start is delayed) started nothing: not a new
    // run for the ended sequence, not a sequence for the lead that never had one.
    assertThat(describe(leads.get(1)).getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED);
    assertThatThrownBy(() -> describe(neverRan)).isNotNull();
  }

  @Test
  void sendsTheCampaignsOwnPauseAndResumeNotTheOperators() {
    activities.enrolPending(clientId, campaign, 10);

    activities.signalLeads(clientId, campaign, CampaignAction.PAUSE, 0, 10);
    activities.signalLeads(clientId, campaign, CampaignAction.RESUME, 0, 10);

    for (long lead : leads) {
      assertThat(signals(lead)).containsExactly("campaignPaused", "campaignResumed");
    }
  }

  @Test
  void signalsOnlyLeadsAfterTheCursorAndNotThoseThatEnded() {
    activities.enrolPending(clientId, campaign, 10);
    data.enrolmentStatus(leads.get(2), "COMPLETED");

    FanOutPage page =
        activities.signalLeads(clientId, campaign, CampaignAction.STOP, leads.get(0), 10);

    assertThat(page).isEqualTo(new FanOutPage(1, leads.get(1), false));
    assertThat(signals(leads.get(0))).isEmpty();
    assertThat(signals(leads.get(1))).containsExactly("campaignStopped");
    assertThat(signals(leads.get(2))).isEmpty();
  }

  @Test
  void findsNothingForAnotherClientsCampaign() {
    long other = data.client("other");

    assertThatThrownBy(() -> activities.enrolPending(other, campaign, 10))
        .isInstanceOfSatisfying(
            ActivityFailure.class,
            f ->
                assertThat(((ApplicationFailure) f.getCause()).getType())
                    .isEqualTo(FailureType.NOT_FOUND.name()));
    assertThat(data.column(leads.get(0), "started_at", OffsetDateTime.class)).isNull();
  }

  /** The names of the signals the lead's sequence received, in order. */
  private List<String> signals(long lead) {
    return client.fetchHistory(WorkflowIds.leadSequence(campaign, lead)).getEvents().stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .map(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
        .toList();
  }
}
