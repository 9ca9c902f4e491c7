package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Records the histories that {@link ReplayTest} replays. Run only on purpose, when a workflow
 * change needs a new history beside the old ones (never overwrite a history running workflows may
 * have):
 *
 * <pre>./mvnw -pl workflows test -Dtest=HistoryRecorder -Doutbound.recordHistories=v1</pre>
 */
final class HistoryRecorder {

  public static void main(String[] args) throws IOException {
    record(args.length > 0 ? args[0] : "v1");
  }

  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.condition.EnabledIfSystemProperty(
      named = "outbound.recordHistories",
      matches = ".+")
  void recordHistories() throws IOException {
    record(System.getProperty("outbound.recordHistories"));
  }

  static void record(String version) throws IOException {
    Path dir = Path.of("src/test/resources/histories");
    Files.createDirectories(dir);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      TestSearchAttributes.register(env);
      Worker worker = env.newWorker(TaskQueues.OUTBOUND);
      worker.registerWorkflowImplementationTypes(
          LeadSequenceWorkflowImpl.class, CampaignWorkflowImpl.class);
      FakeActivities leads = new FakeActivities();
      // The due times a send records (from v5 on) are the activity's clock plus the delay.
      leads.clock = env::currentTimeMillis;
      leads.plan =
          new SequencePlan(
              List.of(
                  new PlannedStep(1, 0), new PlannedStep(2, 86_400), new PlannedStep(3, 172_800)),
              0,
              null);
      leads.sendScript =
          step ->
              step == 2 && leads.attempts.get(2) == 1
                  ? SendResult.of(SendOutcome.HELD, null, "variable {{firstName}} has no value")
                  : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
      FakeCampaignActivities campaign = new FakeCampaignActivities(250);
      worker.registerActivitiesImplementations(leads, campaign);
      env.start();
      WorkflowClient client = env.getWorkflowClient();

      // A lead: step 1, a pause and resume before step 2, step 2 held then released, a reply
      // mid-wait.
      LeadRef lead = new LeadRef(1, 12, 345);
      LeadSequenceWorkflow sequence =
          client.newWorkflowStub(
              LeadSequenceWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(lead.workflowId())
                  .setTaskQueue(TaskQueues.OUTBOUND)
                  .build());
      WorkflowClient.start(sequence::run, lead, null);
      env.sleep(Duration.ofHours(2));
      sequence.pause();
      env.sleep(Duration.ofHours(2));
      sequence.resume();
      env.sleep(Duration.ofDays(1));
      sequence.resume();
      env.sleep(Duration.ofHours(5));
      sequence.replied();
      WorkflowStub.fromTyped(sequence).getResult(LeadStatus.class);
      write(client, lead.workflowId(), dir.resolve("lead-sequence-" + version + ".json"));

      // A second lead through the other paths: a campaign pause found by the send, a mailbox
      // problem
      // that holds the lead until a campaign-wide release, and an ambiguous last step.
      FakeActivities otherPaths = leads;
      LeadRef second = new LeadRef(1, 12, 346);
      java.util.concurrent.atomic.AtomicBoolean campaignOpen =
          new java.util.concurrent.atomic.AtomicBoolean(false);
      otherPaths.sendScript =
          step -> {
            int attempt = otherPaths.attempts.get(step);
            if (step == 1 && !campaignOpen.get()) {
              return SendResult.of(SendOutcome.CAMPAIGN_PAUSED, null, "campaign paused");
            }
            if (step == 2 && attempt == 1) {
              throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
                  "mailbox 3: SMTP authentication refused",
                  FailureType.MAILBOX_MISCONFIGURED.name());
            }
            if (step == 3 && attempt == 1) {
              return SendResult.of(SendOutcome.AMBIGUOUS, "<m3>", "claimed but unconfirmed");
            }
            if (step == 3) {
              // From v3 on an operator resolved the ambiguous step (marked it sent).
              return SendResult.of(SendOutcome.ALREADY_SENT, "<m3>", "step 3 was already sent");
            }
            return SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
          };
      otherPaths.attempts.clear();
      LeadSequenceWorkflow secondSequence =
          client.newWorkflowStub(
              LeadSequenceWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(second.workflowId())
                  .setTaskQueue(TaskQueues.OUTBOUND)
                  .build());
      WorkflowClient.start(secondSequence::run, second, null);
      env.sleep(Duration.ofMinutes(5));
      campaignOpen.set(true);
      secondSequence.campaignResumed();
      env.sleep(Duration.ofDays(1).plusHours(1));
      secondSequence.campaignResumed();
      env.sleep(Duration.ofDays(2));
      secondSequence.ambiguityResolved();
      WorkflowStub.fromTyped(secondSequence).getResult(LeadStatus.class);
      write(
          client,
          second.workflowId(),
          dir.resolve("lead-sequence-" + version + "-other-paths.json"));

      // From v3: a step deferred by the activity (window closed, mailbox full), an out-of-office
      // reply that moves the next step, and an ambiguous step resent by an operator.
      FakeActivities third = leads;
      LeadRef thirdLead = new LeadRef(1, 12, 347);
      third.attempts.clear();
      third.sendScript =
          step -> {
            int attempt = third.attempts.get(step);
            if (step == 1 && attempt == 1) {
              return SendResult.deferred(
                  env.currentTimeMillis() + Duration.ofHours(14).toMillis(),
                  "send window closed until 09:00 Europe/Berlin");
            }
            if (step == 2 && attempt == 1) {
              return SendResult.of(SendOutcome.AMBIGUOUS, "<m2>", "claimed but unconfirmed");
            }
            return SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
          };
      LeadSequenceWorkflow thirdSequence =
          client.newWorkflowStub(
              LeadSequenceWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(thirdLead.workflowId())
                  .setTaskQueue(TaskQueues.OUTBOUND)
                  .build());
      WorkflowClient.start(thirdSequence::run, thirdLead, null);
      env.sleep(Duration.ofHours(20));
      thirdSequence.outOfOfficeUntil(env.currentTimeMillis() + Duration.ofDays(5).toMillis());
      env.sleep(Duration.ofDays(6));
      thirdSequence.ambiguityResolved();
      WorkflowStub.fromTyped(thirdSequence).getResult(LeadStatus.class);
      write(
          client,
          thirdLead.workflowId(),
          dir.resolve("lead-sequence-" + version + "-deliver.json"));

      // From v5: a lead started by the enrolment with its plan and its status attribute (no begin,
      // no CRM activity of its own: each step is a timer and one send that records the next step),
      // with a deferred step and a pause on the way.
      FakeActivities fourth = leads;
      LeadRef fourthLead = new LeadRef(1, 12, 348);
      fourth.attempts.clear();
      fourth.sendScript =
          step ->
              step == 2 && fourth.attempts.get(2) == 1
                  ? SendResult.deferred(
                      env.currentTimeMillis() + Duration.ofHours(2).toMillis(),
                      "mailbox 3 has no free slot before 11:00 Europe/Berlin")
                  : SendResult.of(SendOutcome.SENT, "<m" + step + ">", "ok");
      LeadSequenceWorkflow fourthSequence =
          client.newWorkflowStub(
              LeadSequenceWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(fourthLead.workflowId())
                  .setTaskQueue(TaskQueues.OUTBOUND)
                  .setTypedSearchAttributes(
                      OutboundSearchAttributes.atStart(fourthLead, LeadStatus.ACTIVE))
                  .build());
      WorkflowClient.start(
          fourthSequence::run,
          fourthLead,
          new SequencePlan(
              List.of(
                  new PlannedStep(1, 3_600),
                  new PlannedStep(2, 86_400),
                  new PlannedStep(3, 172_800)),
              0,
              null,
              env.currentTimeMillis() + Duration.ofHours(1).toMillis()));
      env.sleep(Duration.ofHours(3));
      fourthSequence.pause();
      env.sleep(Duration.ofHours(1));
      fourthSequence.resume();
      WorkflowStub.fromTyped(fourthSequence).getResult(LeadStatus.class);
      write(
          client,
          fourthLead.workflowId(),
          dir.resolve("lead-sequence-" + version + "-planned.json"));

      // A campaign: enrolment in two batches, then pause, resume and stop fanned out.
      CampaignWorkflow campaignWorkflow =
          client.newWorkflowStub(
              CampaignWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(WorkflowIds.campaign(12))
                  .setTaskQueue(TaskQueues.OUTBOUND)
                  .build());
      WorkflowClient.start(campaignWorkflow::run, new CampaignInput(1, 12));
      env.sleep(Duration.ofSeconds(5));
      campaign.addLeads(2);
      campaignWorkflow.enrolPending();
      env.sleep(Duration.ofSeconds(5));
      campaignWorkflow.control(CampaignAction.PAUSE);
      env.sleep(Duration.ofSeconds(5));
      campaignWorkflow.control(CampaignAction.RESUME);
      env.sleep(Duration.ofSeconds(5));
      campaignWorkflow.control(CampaignAction.STOP);
      WorkflowStub.fromTyped(campaignWorkflow).getResult(Void.class);
      write(client, WorkflowIds.campaign(12), dir.resolve("campaign-" + version + ".json"));
    }
  }

  private static void write(WorkflowClient client, String workflowId, Path file)
      throws IOException {
    WorkflowExecutionHistory history = client.fetchHistory(workflowId);
    Files.writeString(file, history.toJson(true));
    System.out.println("recorded " + history.getEvents().size() + " events to " + file);
  }
}
