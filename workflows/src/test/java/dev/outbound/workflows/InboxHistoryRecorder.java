package dev.outbound.workflows;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the {@link InboxWatcherWorkflow} histories that {@link ReplayTest} replays. Run only on
 * purpose, when the watcher changes in a way that needs a new history (never overwrite one):
 *
 * <pre>./mvnw -pl workflows test -Dtest=InboxHistoryRecorder -Doutbound.recordInboxHistories=v1
 * </pre>
 */
class InboxHistoryRecorder {

  @Test
  @EnabledIfSystemProperty(named = "outbound.recordInboxHistories", matches = "v\\d+")
  void recordHistories() throws IOException {
    String version = System.getProperty("outbound.recordInboxHistories");
    Path dir = Path.of("src/test/resources/histories");
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.OUTBOUND);
      worker.registerWorkflowImplementationTypes(InboxWatcherWorkflowImpl.class);
      // A refused login (the watcher waits for new credentials), two sessions that ran their time
      // (then the run continues as new), and in the next run the mailbox is gone.
      Deque<InboxSessionEnd> ends =
          new ArrayDeque<>(
              List.of(
                  InboxSessionEnd.LOGIN_REFUSED,
                  InboxSessionEnd.ELAPSED,
                  InboxSessionEnd.ELAPSED,
                  InboxSessionEnd.MAILBOX_GONE));
      worker.registerActivitiesImplementations(
          (InboxActivities)
              (clientId, mailboxId, sessionSeconds) ->
                  new InboxSession(
                      ends.isEmpty() ? InboxSessionEnd.MAILBOX_GONE : ends.poll(), 2, 1, 7, 40));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = WorkflowIds.inboxWatcher(1, 3);
      InboxWatcherWorkflow watcher =
          client.newWorkflowStub(
              InboxWatcherWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(id)
                  .setTaskQueue(TaskQueues.OUTBOUND)
                  .build());
      WorkflowExecution first = WorkflowClient.start(watcher::watch, new InboxWatch(1, 3, 300, 3));
      env.sleep(Duration.ofMinutes(10));
      watcher.credentialsChanged();
      client.newUntypedWorkflowStub(id).getResult(Void.class);
      write(client, id, first.getRunId(), dir.resolve("inbox-watcher-" + version + ".json"));
      String last = client.newUntypedWorkflowStub(id).getExecution().getRunId();
      write(client, id, last, dir.resolve("inbox-watcher-" + version + "-gone.json"));
    }
  }

  private static void write(WorkflowClient client, String workflowId, String runId, Path file)
      throws IOException {
    WorkflowExecutionHistory history = client.fetchHistory(workflowId, runId);
    Files.writeString(file, history.toJson(true));
    System.out.println("recorded " + history.getEvents().size() + " events to " + file);
  }
}
