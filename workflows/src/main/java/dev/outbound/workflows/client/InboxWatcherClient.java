package dev.outbound.workflows.client;

import dev.outbound.workflows.InboxWatch;
import dev.outbound.workflows.InboxWatcherWorkflow;
import dev.outbound.workflows.TaskQueues;
import dev.outbound.workflows.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;

/**
 * Starts and signals mailbox watchers ({@link InboxWatcherWorkflow}), for the worker (every mailbox
 * on start) and the API (a new mailbox, new credentials). Starting is idempotent: a watcher that
 * runs is left as it is, and one that ended (its mailbox lost its IMAP server, say) is started
 * again. Failures of the Temporal service reach the caller as thrown.
 */
public final class InboxWatcherClient {

  private final WorkflowClient client;

  public InboxWatcherClient(WorkflowClient client) {
    this.client = client;
  }

  /** Makes sure the mailbox's watcher runs (a running one is kept as it is). */
  public void ensureRunning(InboxWatch watch) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.inboxWatcher(watch.clientId(), watch.mailboxId()))
            .setTaskQueue(TaskQueues.OUTBOUND)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setWorkflowIdConflictPolicy(
                WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
            .setStaticSummary("watch the inbox of mailbox " + watch.mailboxId())
            .setStaticDetails(
                "Client "
                    + watch.clientId()
                    + ", mailbox "
                    + watch.mailboxId()
                    + ": reads replies, out-of-office answers and bounces in sessions of "
                    + watch.sessionSeconds()
                    + " s.")
            .build();
    InboxWatcherWorkflow watcher = client.newWorkflowStub(InboxWatcherWorkflow.class, options);
    try {
      WorkflowClient.start(watcher::watch, watch);
    } catch (WorkflowExecutionAlreadyStarted e) {
      // Only without the conflict policy (older servers): the watcher runs, which is the point.
    }
  }

  /** Tells the mailbox's watcher its login changed, starting it if it does not run. */
  public void credentialsChanged(InboxWatch watch) {
    ensureRunning(watch);
    client
        .newWorkflowStub(
            InboxWatcherWorkflow.class,
            WorkflowIds.inboxWatcher(watch.clientId(), watch.mailboxId()))
        .credentialsChanged();
  }
}
