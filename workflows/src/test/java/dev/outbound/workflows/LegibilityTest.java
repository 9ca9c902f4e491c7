package dev.outbound.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.vocabulary.status.LeadStatus;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an operator sees of a lead in the Temporal Web UI, read back through {@code
 * DescribeWorkflowExecution} and the history: search attributes, static summary and details,
 * current details, and the summaries of timers and activities. IDs and times only.
 */
@Timeout(60)
class LegibilityTest {

  private static final LeadRef LEAD = new LeadRef(3, 12, 345);

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
    worker.registerActivitiesImplementations(activities);
    client = env.getWorkflowClient();
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void aWaitingLeadShowsItsIdsStatusStepAndWhatItWaitsFor() {
    LeadSequenceWorkflow workflow =
        client.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(LEAD.workflowId())
                .setTaskQueue(TaskQueues.OUTBOUND)
                .setStaticSummary(OutboundSearchAttributes.summaryOf(LEAD))
                .setStaticDetails(OutboundSearchAttributes.detailsOf(LEAD))
                .setTypedSearchAttributes(OutboundSearchAttributes.atStart(LEAD))
                .build());
    WorkflowClient.start(workflow::run, LEAD, null);
    env.sleep(Duration.ofHours(1)); // step 1 sent, waiting a day for step 2

    DescribeWorkflowExecutionResponse described =
        env.getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(env.getNamespace())
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(LEAD.workflowId()))
                    .build());

    Map<String, Payload> attributes =
        described.getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap();
    assertThat(decode(attributes.get("OutboundClientId"), Long.class)).isEqualTo(3L);
    assertThat(decode(attributes.get("OutboundCampaignId"), Long.class)).isEqualTo(12L);
    assertThat(decode(attributes.get("OutboundLeadStatus"), String.class)).isEqualTo("ACTIVE");
    assertThat(decode(described.getExecutionConfig().getUserMetadata().getSummary(), String.class))
        .isEqualTo("Lead 345 in campaign 12 (client 3)");
    assertThat(decode(described.getExecutionConfig().getUserMetadata().getDetails(), String.class))
        .contains("GET /api/v1/leads/345");

    List<HistoryEvent> events = client.fetchHistory(LEAD.workflowId()).getEvents();
    List<String> summaries =
        events.stream()
            .filter(e -> e.hasUserMetadata() && e.getUserMetadata().hasSummary())
            .map(e -> decode(e.getUserMetadata().getSummary(), String.class))
            .toList();
    assertThat(summaries).contains("send step 1 of 2");
    assertThat(summaries).anyMatch(s -> s.startsWith("wait for step 2 of 2 until 20"));
    assertThat(summaries).allMatch(s -> !s.contains("@"));
  }

  @Test
  void theStatusAttributeFollowsAStopAndTheEnd() {
    LeadSequenceWorkflow workflow =
        client.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(LEAD.workflowId())
                .setTaskQueue(TaskQueues.OUTBOUND)
                .setTypedSearchAttributes(OutboundSearchAttributes.atStart(LEAD))
                .build());
    WorkflowClient.start(workflow::run, LEAD, null);
    env.sleep(Duration.ofHours(1));
    workflow.replied();
    io.temporal.client.WorkflowStub.fromTyped(workflow).getResult(LeadStatus.class);

    Map<String, Payload> attributes =
        env.getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(env.getNamespace())
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(LEAD.workflowId()))
                    .build())
            .getWorkflowExecutionInfo()
            .getSearchAttributes()
            .getIndexedFieldsMap();
    assertThat(decode(attributes.get("OutboundLeadStatus"), String.class)).isEqualTo("REPLIED");
    assertThat(decode(attributes.get("OutboundStep"), Long.class)).isEqualTo(1L);
  }

  private static <T> T decode(Payload payload, Class<T> type) {
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, type, type);
  }
}
