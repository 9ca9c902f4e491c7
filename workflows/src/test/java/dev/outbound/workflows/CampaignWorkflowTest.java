package dev.outbound.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CampaignWorkflowTest {

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private FakeCampaignActivities activities;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.OUTBOUND);
    worker.registerWorkflowImplementationTypes(CampaignWorkflowImpl.class);
    activities = new FakeCampaignActivities(450);
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private CampaignWorkflow start() {
    CampaignWorkflow workflow =
        client.newWorkflowStub(
            CampaignWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.campaign(12))
                .setTaskQueue(TaskQueues.OUTBOUND)
                .build());
    WorkflowClient.start(workflow::run, new CampaignInput(1, 12));
    return workflow;
  }

  @Test
  void enrolsAllLeadsInBatchesThenWaitsForMore() {
    activities.addLeads(2 * CampaignWorkflowImpl.ENROL_BATCH_SIZE - 400);
    CampaignWorkflow workflow = start();
    env.sleep(Duration.ofSeconds(5));

    assertThat(activities.calls)
        .containsExactly(
            "enrol " + CampaignWorkflowImpl.ENROL_BATCH_SIZE,
            "enrol " + CampaignWorkflowImpl.ENROL_BATCH_SIZE,
            "enrol 50");
    assertThat(workflow.progress().enrolled())
        .isEqualTo(2L * CampaignWorkflowImpl.ENROL_BATCH_SIZE + 50);

    activities.addLeads(3);
    workflow.enrolPending();
    env.sleep(Duration.ofSeconds(5));

    assertThat(activities.calls).endsWith("enrol 3");
    assertThat(workflow.progress().enrolled())
        .isEqualTo(2L * CampaignWorkflowImpl.ENROL_BATCH_SIZE + 53);
  }

  @Test
  void continuesAsNewWhenEnrolmentGrowsTheHistoryAndFinishesTheJob() {
    activities = null;
    env.close();
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.OUTBOUND);
    worker.registerWorkflowImplementationTypes(CampaignWorkflowImpl.class);
    activities = new FakeCampaignActivities(160_000);
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
    CampaignWorkflow workflow = start();
    workflow.control(CampaignAction.STOP);

    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    long enrolledLeads =
        activities.calls.stream()
            .filter(c -> c.startsWith("enrol "))
            .mapToLong(c -> Long.parseLong(c.substring(6)))
            .sum();
    assertThat(enrolledLeads).isEqualTo(160_000);
    assertThat(
            activities.calls.stream()
                .filter(c -> c.startsWith("STOP "))
                .mapToLong(c -> Long.parseLong(c.substring(5)))
                .sum())
        .as("every lead gets the stop once, across the continue-as-new")
        .isEqualTo(160_000);
    assertThat(client.fetchHistory(WorkflowIds.campaign(12)).getEvents().size())
        .isLessThan(CampaignWorkflowImpl.HISTORY_LIMIT + 100);
  }

  @Test
  void fansOutPauseResumeAndStopInOrderThenEnds() {
    CampaignWorkflow workflow = start();
    env.sleep(Duration.ofSeconds(5));

    workflow.control(CampaignAction.PAUSE);
    workflow.control(CampaignAction.RESUME);
    workflow.control(CampaignAction.STOP);
    WorkflowStub.fromTyped(workflow).getResult(Void.class);

    assertThat(activities.calls)
        .containsSubsequence(
            "PAUSE 200", "PAUSE 200", "PAUSE 50", "RESUME 200", "RESUME 50", "STOP 200", "STOP 50");
  }
}
