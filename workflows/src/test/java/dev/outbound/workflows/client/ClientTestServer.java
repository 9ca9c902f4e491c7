package dev.outbound.workflows.client;

import dev.outbound.workflows.OutboundSearchAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;

/**
 * A Temporal test server with the project's search attributes and no worker: what a client starts
 * stays open, and its history shows what the client sent.
 */
final class ClientTestServer implements AutoCloseable {

  final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  final WorkflowClient client = env.getWorkflowClient();

  ClientTestServer() {
    for (SearchAttributeKey<?> key : OutboundSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), key.getValueType());
    }
  }

  List<HistoryEvent> history(String workflowId) {
    return client.fetchHistory(workflowId).getEvents();
  }

  /** The names of the signals the workflow received, in order. */
  List<String> signals(String workflowId) {
    return history(workflowId).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .map(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
        .toList();
  }

  /** How many runs the workflow ID had (a run starts with a started event). */
  long starts(String workflowId) {
    return history(workflowId).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
        .count();
  }

  @Override
  public void close() {
    env.close();
  }
}
