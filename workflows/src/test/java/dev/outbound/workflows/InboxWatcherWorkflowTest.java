package dev.outbound.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watcher's loop on the time-skipping test server with a scripted reading activity. */
class InboxWatcherWorkflowTest {

  private TestWorkflowEnvironment env;
  private final ConcurrentLinkedDeque<InboxSessionEnd> script = new ConcurrentLinkedDeque<>();
  private final List<Long> sessionsAt = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.OUTBOUND);
    worker.registerWorkflowImplementationTypes(InboxWatcherWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        (InboxActivities)
            (clientId, mailboxId, seconds) -> {
              sessionsAt.add(env.currentTimeMillis());
              InboxSessionEnd end = script.poll();
              return new InboxSession(end == null ? InboxSessionEnd.MAILBOX_GONE : end, 0, 0, 0, 0);
            });
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private InboxWatcherWorkflow watcher(InboxWatch watch) {
    InboxWatcherWorkflow stub =
        env.getWorkflowClient()
            .newWorkflowStub(
                InboxWatcherWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.inboxWatcher(watch.clientId(), watch.mailboxId()))
                    .setTaskQueue(TaskQueues.OUTBOUND)
                    .build());
    WorkflowClient.start(stub::watch, watch);
    return stub;
  }

  @Test
  void readsSessionAfterSessionContinuingAsNewAndEndsWhenTheMailboxIsGone() {
    for (int i = 0; i < 5; i++) {
      script.add(InboxSessionEnd.ELAPSED);
    }
    InboxWatcherWorkflow stub = watcher(new InboxWatch(1, 2, 60, 2));
    WorkflowStub.fromTyped(stub).getResult(Void.class);

    // Five sessions that ran their time, then the sixth found the mailbox gone; two per run.
    assertThat(sessionsAt).hasSize(6);
    var described =
        env.getWorkflowClient()
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(env.getNamespace())
                    .setExecution(
                        io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId(WorkflowIds.inboxWatcher(1, 2)))
                    .build());
    assertThat(described.getWorkflowExecutionInfo().getStatus())
        .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
    assertThat(described.getWorkflowExecutionInfo().getFirstRunId())
        .isNotEqualTo(described.getWorkflowExecutionInfo().getExecution().getRunId());
  }

  @Test
  void aRefusedLoginWaitsForNewCredentialsOrTheLongPause() {
    script.add(InboxSessionEnd.LOGIN_REFUSED);
    script.add(InboxSessionEnd.LOGIN_REFUSED);
    InboxWatcherWorkflow stub = watcher(new InboxWatch(1, 3, 60, 10));
    env.sleep(Duration.ofMinutes(5));
    assertThat(sessionsAt).hasSize(1);

    stub.credentialsChanged();
    env.sleep(Duration.ofSeconds(5));
    assertThat(sessionsAt).as("new credentials are tried at once").hasSize(2);

    // Refused again: without a signal it tries after the pause.
    WorkflowStub.fromTyped(stub).getResult(Void.class);
    assertThat(sessionsAt).hasSize(3);
    assertThat(sessionsAt.get(2) - sessionsAt.get(1))
        .isGreaterThanOrEqualTo(InboxWatcherWorkflowImpl.LOGIN_RETRY.toMillis());
  }
}
