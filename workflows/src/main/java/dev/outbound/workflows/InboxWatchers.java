package dev.outbound.workflows;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;

/**
 * Starts mailbox watchers, for the worker (every mailbox on start) and the API (a new mailbox, new
 * credentials). Starting is idempotent: a watcher that runs is left as it is, and one that ended
 * (its mailbox lost its IMAP server, say) is started again.
 */
public final class InboxWatchers {

  private InboxWatchers() {}

  /** Makes sure the mailbox's watcher runs (a running one is kept as it is). */
  public static void ensureRunning(WorkflowClient client, InboxWatch watch) {
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
  public static void credentialsChanged(WorkflowClient client, InboxWatch watch) {
    ensureRunning(client, watch);
    client
        .newWorkflowStub(
            InboxWatcherWorkflow.class,
            WorkflowIds.inboxWatcher(watch.clientId(), watch.mailboxId()))
        .credentialsChanged();
  }
}
