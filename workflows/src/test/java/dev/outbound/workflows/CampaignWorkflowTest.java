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
    CampaignWorkflow workflow = start();
    env.sleep(Duration.ofSeconds(5));

    assertThat(activities.calls).containsExactly("enrol 200", "enrol 200", "enrol 50");
    assertThat(workflow.progress().enrolled()).isEqualTo(450);

    activities.addLeads(3);
    workflow.enrolPending();
    env.sleep(Duration.ofSeconds(5));

    assertThat(activities.calls).endsWith("enrol 3");
    assertThat(workflow.progress().enrolled()).isEqualTo(453);
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
