package dev.outbound.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every path of a lead's sequence, on the time-skipping test server with fake activities. */
@Timeout(60)
class LeadSequenceWorkflowTest {

  private static final LeadRef LEAD = new LeadRef(1, 12, 345);
  private static final Duration DAY = Duration.ofDays(1);

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private FakeActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    TestSearchAttributes.register(env);
    Worker worker = env.newWorker(TaskQueues.OUTBOUND);
    worker.registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class);
    activities = new FakeActivities();
    activities.clock = () -> env.currentTimeMillis();
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private LeadSequenceWorkflow start() {
    LeadSequenceWorkflow workflow =
        client.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(LEAD.workflowId())
                .setTaskQueue(TaskQueues.OUTBOUND)
                .build());
    WorkflowClient.start(workflow::run, LEAD, null);
    return workflow;
  }

  /**
   * Starts the sequence the way the campaign's enrolment does: with its plan, the {@code ACTIVE}
   * status given at the start, and a start delay when {@code delay} is not null.
   */
  private LeadSequenceWorkflow startPlanned(SequencePlan plan, Duration delay) {
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(LEAD.workflowId())
            .setTaskQueue(TaskQueues.OUTBOUND)
            .setTypedSearchAttributes(OutboundSearchAttributes.atStart(LEAD, LeadStatus.ACTIVE));
    if (delay != null) {
      options.setStartDelay(delay);
    }
    LeadSequenceWorkflow workflow =
        client.newWorkflowStub(LeadSequenceWorkflow.class, options.build());
    WorkflowClient.start(workflow::run, LEAD, plan);
    return workflow;
  }

  private LeadStatus result() {
    return WorkflowStub.fromTyped(
            client.newWorkflowStub(LeadSequenceWorkflow.class, LEAD.workflowId()))
        .getResult(LeadStatus.class);
  }

  @Test
  void sendsEveryStepAfterItsDelayAndCompletes() {
    long startedAt = env.currentTimeMillis();
    start();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
    assertThat(activities.sendTimes.get(1) - startedAt).isGreaterThanOrEqualTo(DAY.toMillis());
    assertThat(activities.events()).containsExactly("SCHEDULED", "SCHEDULED", "COMPLETED");
    assertThat(activities.last().status()).isEqualTo(LeadStatus.COMPLETED);
  }

  @Test
  void stopsTheSequenceWhenTheLeadRepliesMidWait() {
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(3));
    assertThat(activities.sends).containsExactly(1);

    workflow.replied();

    assertThat(result()).isEqualTo(LeadStatus.REPLIED);
    env.sleep(Duration.ofDays(3));
    assertThat(activities.sends).containsExactly(1);
    assertThat(activities.last().event()).isEqualTo(TimelineEvent.REPLIED);
    assertThat(activities.last().nextSendAtMillis()).isNull();
  }

  @Test
  void eachStopSignalEndsTheLeadWithItsOwnStatus() {
    assertStopEndsWith(LeadSequenceWorkflow::bounced, LeadStatus.BOUNCED);
  }

  @Test
  void unsubscribingEndsTheSequence() {
    assertStopEndsWith(LeadSequenceWorkflow::unsubscribed, LeadStatus.UNSUBSCRIBED);
  }

  @Test
  void aBookedMeetingEndsTheSequence() {
    assertStopEndsWith(LeadSequenceWorkflow::meetingBooked, LeadStatus.MEETING_BOOKED);
  }

  @Test
  void stoppingTheCampaignEndsTheSequence() {
    assertStopEndsWith(LeadSequenceWorkflow::campaignStopped, LeadStatus.STOPPED);
  }

  private void assertStopEndsWith(
      java.util.function.Consumer<LeadSequenceWorkflow> signal, LeadStatus expected) {
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    signal.accept(workflow);
    assertThat(result()).isEqualTo(expected);
    assertThat(activities.sends).containsExactly(1);
  }

  @Test
  void aPauseAcrossTheDueTimeHoldsTheStepUntilResume() {
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    workflow.pause();
    env.sleep(Duration.ofDays(2));
    assertThat(activities.sends).containsExactly(1);
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.PAUSED);

    long resumedAt = env.currentTimeMillis();
    workflow.resume();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
    assertThat(activities.sendTimes.get(1) - resumedAt)
        .isLessThan(Duration.ofMinutes(1).toMillis());
    assertThat(activities.events()).containsSubsequence("PAUSED", "RESUMED", "COMPLETED");
  }

  @Test
  void aPauseAndResumeBeforeTheDueTimeKeepsTheOriginalSchedule() {
    long startedAt = env.currentTimeMillis();
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    workflow.pause();
    env.sleep(Duration.ofHours(1));
    workflow.resume();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    long secondSend = activities.sendTimes.get(1) - startedAt;
    assertThat(secondSend)
        .isBetween(DAY.toMillis(), DAY.toMillis() + Duration.ofMinutes(1).toMillis());
  }

  @Test
  void aStopWhilePausedEndsTheSequenceWithoutSending() {
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    workflow.pause();
    env.sleep(Duration.ofHours(1));
    workflow.unsubscribed();

    assertThat(result()).isEqualTo(LeadStatus.UNSUBSCRIBED);
    assertThat(activities.sends).containsExactly(1);
  }

  @Test
  void statusReportsTheCurrentStepAndTheNextDueTime() {
    long startedAt = env.currentTimeMillis();
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));

    LeadSequenceStatus status = workflow.status();

    assertThat(status.status()).isEqualTo(LeadStatus.ACTIVE);
    assertThat(status.currentStep()).isEqualTo(1);
    assertThat(status.totalSteps()).isEqualTo(2);
    assertThat(status.nextDueAtMillis())
        .isBetween(startedAt + DAY.toMillis(), startedAt + DAY.toMillis() + 5_000);
    assertThat(status.lastOutcome()).isEqualTo("SENT step 1");
  }

  @Test
  void aPermanentSendFailureEndsTheLeadAsFailedWithTheReason() {
    activities.sendScript =
        step -> step == 2 ? null : SendResult.of(SendOutcome.SENT, "<m1>", "ok");
    start();

    assertThat(result()).isEqualTo(LeadStatus.FAILED);
    assertThat(activities.attempts.get(2)).isEqualTo(1);
    assertThat(activities.last().event()).isEqualTo(TimelineEvent.FAILED);
    assertThat(activities.last().detail()).contains("SMTP_PERMANENT").contains("550");
  }

  @Test
  void aHeldLeadWaitsForAnOperatorAndRetriesTheStepOnResume() {
    activities.sendScript =
        step ->
            step == 2 && activities.attempts.get(2) == 1
                ? SendResult.of(SendOutcome.HELD, null, "variable {{firstName}} has no value")
                : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofDays(5));
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.HELD);
    assertThat(activities.sends).containsExactly(1);

    workflow.resume();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
    assertThat(activities.events()).contains("HELD");
    assertThat(
            activities.records.stream()
                .filter(r -> r.event().equals(TimelineEvent.HELD))
                .findFirst()
                .orElseThrow()
                .detail())
        .contains("{{firstName}}");
  }

  @Test
  void anAmbiguousStepHoldsTheLeadUntilAnOperatorMarksItSent() {
    AtomicBoolean markedSent = new AtomicBoolean();
    activities.sendScript =
        step -> {
          if (step != 1) {
            return SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
          }
          return markedSent.get()
              ? SendResult.of(SendOutcome.ALREADY_SENT, "<m1>", "step 1 was already sent")
              : SendResult.of(SendOutcome.AMBIGUOUS, "<m1>", "claimed but unconfirmed");
        };
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));

    assertThat(workflow.status().status()).isEqualTo(LeadStatus.HELD);
    assertThat(activities.sends).isEmpty();
    assertThat(activities.last().event()).isEqualTo(TimelineEvent.HELD);
    assertThat(activities.last().detail()).contains("marks it sent or allows one resend");

    markedSent.set(true);
    workflow.ambiguityResolved();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.attempts.get(1)).isEqualTo(2);
    assertThat(activities.sends).containsExactly(2);
  }

  @Test
  void anOperatorsResendSendsTheAmbiguousStepOnceAndTheSequenceGoesOn() {
    AtomicBoolean resendAllowed = new AtomicBoolean();
    activities.sendScript =
        step ->
            step == 1 && !resendAllowed.get()
                ? SendResult.of(SendOutcome.AMBIGUOUS, "<m1>", "claimed but unconfirmed")
                : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    resendAllowed.set(true);
    workflow.ambiguityResolved();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
  }

  @Test
  void aHeldAmbiguousLeadRechecksTheLedgerWithoutASignalAndRecordsTheHoldOnce() {
    AtomicBoolean markedSent = new AtomicBoolean();
    activities.sendScript =
        step ->
            step == 1 && !markedSent.get()
                ? SendResult.of(SendOutcome.AMBIGUOUS, "<m1>", "claimed but unconfirmed")
                : SendResult.of(SendOutcome.ALREADY_SENT, "<m" + step + ">", "sent");
    LeadSequenceWorkflow workflow = start();
    env.sleep(LeadSequenceWorkflowImpl.AMBIGUITY_RECHECK.multipliedBy(3).plusMinutes(1));

    assertThat(activities.attempts.get(1)).isEqualTo(4);
    assertThat(activities.events().stream().filter("HELD"::equals).count()).isEqualTo(1);
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.HELD);

    // The operator's resolution was written, but its signal never came: the re-check finds it.
    markedSent.set(true);
    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
  }

  @Test
  void aStopEndsALeadHeldOnAnAmbiguousStep() {
    activities.sendScript =
        step -> SendResult.of(SendOutcome.AMBIGUOUS, "<m" + step + ">", "claimed but unconfirmed");
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    workflow.replied();

    assertThat(result()).isEqualTo(LeadStatus.REPLIED);
    assertThat(activities.attempts.get(1)).isEqualTo(1);
  }

  @Test
  void aDeferredStepWaitsForTheTimeTheActivityComputedAndIsSentThen() {
    long startedAt = env.currentTimeMillis();
    long opening = startedAt + Duration.ofHours(15).toMillis();
    activities.sendScript =
        step ->
            step == 1 && activities.attempts.get(1) == 1
                ? SendResult.deferred(opening, "send window closed until 09:00 Europe/Berlin")
                : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));

    LeadSequenceStatus status = workflow.status();
    assertThat(status.status()).isEqualTo(LeadStatus.ACTIVE);
    assertThat(status.nextDueAtMillis()).isEqualTo(opening);
    assertThat(activities.sends).isEmpty();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sendTimes.get(0)).isGreaterThanOrEqualTo(opening);
    assertThat(activities.attempts.get(1)).isEqualTo(2);
  }

  @Test
  void aLeadDeferredAgainAndAgainIsNeverSentEarlyAndAReplyStillStopsIt() {
    activities.sendScript =
        step ->
            SendResult.deferred(
                env.currentTimeMillis() + Duration.ofHours(8).toMillis(), "mailbox at its cap");
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofDays(2));
    assertThat(activities.attempts.get(1)).isBetween(5, 7);
    workflow.replied();

    assertThat(result()).isEqualTo(LeadStatus.REPLIED);
    assertThat(activities.sends).isEmpty();
  }

  @Test
  void anOutOfOfficeReplyMovesTheNextStepToTheLeadsReturn() {
    long startedAt = env.currentTimeMillis();
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(2));
    long back = startedAt + Duration.ofDays(10).toMillis();
    workflow.outOfOfficeUntil(back);
    env.sleep(Duration.ofHours(1));

    LeadSequenceStatus status = workflow.status();
    assertThat(status.status()).isEqualTo(LeadStatus.ACTIVE);
    assertThat(status.nextDueAtMillis()).isEqualTo(back);
    assertThat(activities.last().event()).isEqualTo(TimelineEvent.OUT_OF_OFFICE);

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
    assertThat(activities.sendTimes.get(1)).isGreaterThanOrEqualTo(back);
  }

  @Test
  void anOutOfOfficeDateBeforeTheNextStepChangesNothing() {
    long startedAt = env.currentTimeMillis();
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(2));
    workflow.outOfOfficeUntil(startedAt + Duration.ofHours(3).toMillis());

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.events()).doesNotContain("OUT_OF_OFFICE");
    assertThat(activities.sendTimes.get(1) - startedAt)
        .isBetween(DAY.toMillis(), DAY.toMillis() + 5_000);
  }

  @Test
  void aPausedCampaignHoldsTheLeadUntilTheCampaignResumes() {
    AtomicBoolean campaignOpen = new AtomicBoolean(true);
    activities.plan = threeSteps();
    activities.sendScript =
        step ->
            campaignOpen.get()
                ? SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok")
                : SendResult.of(SendOutcome.CAMPAIGN_PAUSED, null, "campaign paused");
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    campaignOpen.set(false);
    workflow.campaignPaused();
    env.sleep(Duration.ofDays(3));
    assertThat(activities.sends).containsExactly(1);
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.PAUSED);

    campaignOpen.set(true);
    long resumedAt = env.currentTimeMillis();
    workflow.campaignResumed();
    env.sleep(Duration.ofMinutes(1));

    assertThat(activities.sends).containsExactly(1, 2);
    assertThat(activities.sendTimes.get(1) - resumedAt)
        .isLessThan(Duration.ofMinutes(1).toMillis());
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.ACTIVE);
    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
  }

  @Test
  void aLeadIsActiveAgainAfterASendFoundItsCampaignPaused() {
    activities.plan = threeSteps();
    activities.sendScript =
        step ->
            step == 1 && activities.attempts.get(1) == 1
                ? SendResult.of(SendOutcome.CAMPAIGN_PAUSED, null, "campaign paused")
                : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofMinutes(5));
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.PAUSED);

    workflow.campaignResumed();
    env.sleep(Duration.ofMinutes(5));

    assertThat(activities.sends).containsExactly(1);
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.ACTIVE);
    assertThat(activities.last().event()).isEqualTo(TimelineEvent.SCHEDULED);
    assertThat(activities.last().status()).isEqualTo(LeadStatus.ACTIVE);
  }

  @Test
  void aCampaignResumeDoesNotReleaseALeadAnOperatorPaused() {
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    workflow.pause();
    workflow.campaignPaused();
    env.sleep(Duration.ofHours(1));
    workflow.campaignResumed();
    env.sleep(Duration.ofDays(3));
    assertThat(activities.sends).containsExactly(1);
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.PAUSED);

    workflow.resume();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
  }

  @Test
  void aReplyThatArrivesDuringTheLastSendWinsOverCompletion() throws Exception {
    CountDownLatch sending = new CountDownLatch(1);
    CountDownLatch replied = new CountDownLatch(1);
    activities.plan = new SequencePlan(List.of(new PlannedStep(1, 0)), 0, null);
    activities.sendScript =
        step -> {
          sending.countDown();
          await(replied);
          return SendResult.of(SendOutcome.SENT, "<m1>", "ok");
        };
    LeadSequenceWorkflow workflow = start();
    assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
    // The API records the reply in the database before it signals, so the send records no
    // completion.
    activities.stoppedInDatabase = true;
    workflow.replied();
    replied.countDown();

    assertThat(result()).isEqualTo(LeadStatus.REPLIED);
    assertThat(activities.events()).doesNotContain("COMPLETED").contains("REPLIED");
  }

  @Test
  void aStopRecordedWhileASendIsRetryingEndsTheLeadWithoutSending() {
    AtomicBoolean unsubscribedInDatabase = new AtomicBoolean(false);
    activities.sendScript =
        step -> {
          if (step == 2 && unsubscribedInDatabase.get()) {
            return new SendResult(SendOutcome.LEAD_STOPPED, null, LeadStatus.UNSUBSCRIBED, "x");
          }
          if (step == 2) {
            throw new IllegalStateException("connection refused");
          }
          return SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
        };
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofDays(1).plusHours(1));
    assertThat(activities.attempts.get(2)).isGreaterThan(1);

    unsubscribedInDatabase.set(true);
    workflow.unsubscribed();

    assertThat(result()).isEqualTo(LeadStatus.UNSUBSCRIBED);
    assertThat(activities.sends).containsExactly(1);
  }

  @Test
  void aMailboxProblemHoldsTheLeadInsteadOfFailingIt() {
    activities.sendScript =
        step -> {
          if (step == 1 && activities.attempts.get(1) == 1) {
            throw ApplicationFailure.newNonRetryableFailure(
                "mailbox 3: SMTP authentication refused", FailureType.MAILBOX_MISCONFIGURED.name());
          }
          return SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
        };
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    assertThat(workflow.status().status()).isEqualTo(LeadStatus.HELD);

    workflow.campaignResumed();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
  }

  @Test
  void aPauseWhileHeldKeepsTheLeadHeldUntilResumed() {
    activities.sendScript =
        step ->
            step == 1 && activities.attempts.get(1) == 1
                ? SendResult.of(SendOutcome.HELD, null, "variable {{firstName}} has no value")
                : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    workflow.pause();
    env.sleep(Duration.ofDays(2));
    assertThat(activities.sends).isEmpty();

    workflow.resume();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
  }

  private static SequencePlan threeSteps() {
    return new SequencePlan(
        List.of(new PlannedStep(1, 0), new PlannedStep(2, 86_400), new PlannedStep(3, 86_400)),
        0,
        null);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aCampaignResumeThatCrossedTheSendIsNoticedByTheRecheck() {
    activities.sendScript =
        step ->
            step == 2 && activities.attempts.get(2) == 1
                ? SendResult.of(SendOutcome.CAMPAIGN_PAUSED, null, "campaign paused")
                : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
    start();

    // No resume signal at all: the workflow re-checks the campaign on its own.
    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
  }

  @Test
  void aLeadStoppedInTheDatabaseEndsWithThatStatus() {
    activities.sendScript =
        step ->
            step == 2
                ? new SendResult(SendOutcome.LEAD_STOPPED, null, LeadStatus.REPLIED, "lead replied")
                : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
    start();

    assertThat(result()).isEqualTo(LeadStatus.REPLIED);
    assertThat(activities.sends).containsExactly(1);
  }

  @Test
  void aStoppedCampaignFoundBySendEndsTheLeadAsStopped() {
    activities.sendScript =
        step ->
            step == 2
                ? SendResult.of(SendOutcome.CAMPAIGN_STOPPED, null, "campaign stopped")
                : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
    start();

    assertThat(result()).isEqualTo(LeadStatus.STOPPED);
    assertThat(activities.last().event()).isEqualTo(TimelineEvent.CAMPAIGN_STOPPED);
  }

  @Test
  void aLeadAlreadyFinishedBeforeItsWorkflowStartsSendsNothing() {
    activities.plan = new SequencePlan(List.of(new PlannedStep(1, 0)), 0, LeadStatus.UNSUBSCRIBED);
    start();

    assertThat(result()).isEqualTo(LeadStatus.UNSUBSCRIBED);
    assertThat(activities.sends).isEmpty();
  }

  @Test
  void aSequenceStartedAgainContinuesAfterTheLastSentStep() {
    activities.plan =
        new SequencePlan(
            List.of(new PlannedStep(1, 0), new PlannedStep(2, 60), new PlannedStep(3, 60)),
            2,
            null);
    start();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(3);
  }

  @Test
  void aLeadStartedWithItsPlanCostsATimerAndOneActivityPerEmail() {
    long startedAt = env.currentTimeMillis();
    long firstDue = startedAt + Duration.ofHours(1).toMillis();
    SequencePlan plan =
        new SequencePlan(
            List.of(new PlannedStep(1, 3_600), new PlannedStep(2, 86_400), new PlannedStep(3, 60)),
            0,
            null,
            firstDue);
    startPlanned(plan, null);

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2, 3);
    assertThat(activities.sendTimes.get(0)).isGreaterThanOrEqualTo(firstDue);
    assertThat(activities.sendTimes.get(1) - activities.sendTimes.get(0))
        .isGreaterThanOrEqualTo(DAY.toMillis());
    // The workflow itself wrote nothing: the starter scheduled step 1, each send the next step,
    // and the last send the completion.
    assertThat(activities.crmCalls.get()).isZero();
    assertThat(activities.events()).containsExactly("SCHEDULED", "SCHEDULED", "COMPLETED");

    java.util.Map<io.temporal.api.enums.v1.EventType, Long> byType =
        client.fetchHistory(LEAD.workflowId()).getEvents().stream()
            .collect(
                java.util.stream.Collectors.groupingBy(
                    io.temporal.api.history.v1.HistoryEvent::getEventType,
                    java.util.stream.Collectors.counting()));
    assertThat(byType.get(io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
        .isEqualTo(3L);
    assertThat(byType.get(io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED))
        .isEqualTo(3L);
    // Only the end is upserted: ACTIVE was given at the start, which costs no action.
    assertThat(
            byType.get(
                io.temporal.api.enums.v1.EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES))
        .isEqualTo(1L);
  }

  @Test
  void aLeadStartedWithADelayUntilItsFirstStepWaitsOnNoTimerForIt() {
    long firstDue = env.currentTimeMillis() + Duration.ofHours(1).toMillis();
    SequencePlan plan =
        new SequencePlan(
            List.of(new PlannedStep(1, 3_600), new PlannedStep(2, 86_400)), 0, null, firstDue);
    // What the campaign's enrolment does when step 1 is due later.
    startPlanned(plan, Duration.ofMillis(firstDue - env.currentTimeMillis()));

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
    assertThat(activities.sendTimes.get(0)).isGreaterThanOrEqualTo(firstDue);
    List<io.temporal.api.history.v1.HistoryEvent> events =
        client.fetchHistory(LEAD.workflowId()).getEvents();
    assertThat(
            events
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .hasFirstWorkflowTaskBackoff())
        .isTrue();
    // Step 1 goes out in the first workflow task; only step 2 waits on a timer.
    assertThat(
            events.stream()
                .filter(
                    e ->
                        e.getEventType()
                            == io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED)
                .count())
        .isEqualTo(1L);
    List<io.temporal.api.enums.v1.EventType> types =
        events.stream().map(io.temporal.api.history.v1.HistoryEvent::getEventType).toList();
    assertThat(types.indexOf(io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
        .isLessThan(types.indexOf(io.temporal.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED));
    // One workflow task before the first send: the one the start delay released.
    assertThat(
            types
                .subList(
                    0,
                    types.indexOf(
                        io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
                .stream()
                .filter(
                    t -> t == io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
                .count())
        .isEqualTo(1L);
  }

  /**
   * A signal that reaches a sequence while its start is delayed is in the same first workflow task
   * as the start (Temporal keeps it until the delay ends; the test server dispatches the task at
   * once). Its handler runs before the workflow method decides anything, so a pause (or a stop)
   * given before step 1 was due holds the lead even when the step is due by then.
   */
  @Test
  void aPauseThatReachedADelayedSequenceHoldsItBeforeItsFirstStep() {
    long due = env.currentTimeMillis();
    SequencePlan plan =
        new SequencePlan(List.of(new PlannedStep(1, 0), new PlannedStep(2, 86_400)), 0, null, due);
    LeadSequenceWorkflow workflow = startPlanned(plan, Duration.ofHours(1));
    workflow.pause();
    env.sleep(Duration.ofHours(2));

    assertThat(activities.sends).isEmpty();
    assertThat(activities.events()).contains("PAUSED");
    List<io.temporal.api.enums.v1.EventType> types =
        client.fetchHistory(LEAD.workflowId()).getEvents().stream()
            .map(io.temporal.api.history.v1.HistoryEvent::getEventType)
            .toList();
    // The signal came before the first workflow task: both were in that task.
    assertThat(
            types.indexOf(
                io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED))
        .isLessThan(
            types.indexOf(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED));

    workflow.resume();
    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2);
  }

  @Test
  void aStopThatReachedADelayedSequenceEndsItWithoutASend() {
    long due = env.currentTimeMillis();
    SequencePlan plan = new SequencePlan(List.of(new PlannedStep(1, 0)), 0, null, due);
    LeadSequenceWorkflow workflow = startPlanned(plan, Duration.ofHours(1));
    workflow.campaignStopped();

    assertThat(result()).isEqualTo(LeadStatus.STOPPED);
    assertThat(activities.sends).isEmpty();
  }

  @Test
  void aLeadThatLoadsItsOwnPlanSchedulesItsFirstStepAndTheSendsTheRest() {
    activities.plan =
        new SequencePlan(
            List.of(new PlannedStep(1, 0), new PlannedStep(2, 60), new PlannedStep(3, 60)),
            0,
            null);
    start();

    assertThat(result()).isEqualTo(LeadStatus.COMPLETED);
    assertThat(activities.sends).containsExactly(1, 2, 3);
    // begin and the first SCHEDULED are the workflow's own; the sends recorded the rest.
    assertThat(activities.crmCalls.get()).isEqualTo(1);
    assertThat(activities.events())
        .containsExactly("SCHEDULED", "SCHEDULED", "SCHEDULED", "COMPLETED");
  }

  @Test
  void repeatedStopSignalsKeepTheFirstReason() {
    LeadSequenceWorkflow workflow = start();
    env.sleep(Duration.ofHours(1));
    workflow.replied();
    workflow.replied();
    workflow.bounced();

    assertThat(result()).isEqualTo(LeadStatus.REPLIED);
  }
}
