package dev.outbound.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Watches one mailbox's INBOX for as long as the mailbox exists; ID from {@link
 * WorkflowIds#inboxWatcher}. Runs reading sessions ({@link InboxActivities#read}) back to back,
 * continuing as new every few sessions. Where the reading stands lives in the database with each
 * message's decision, so neither a crash nor a continue-as-new repeats or skips a message.
 *
 * <p>When the IMAP server refuses the login the watcher waits ({@link #credentialsChanged} wakes
 * it, otherwise it tries again after a long pause); when the mailbox is gone it ends.
 */
@WorkflowInterface
public interface InboxWatcherWorkflow {

  @WorkflowMethod
  void watch(InboxWatch watch);

  /** The mailbox's login was changed: try it now instead of after the pause. */
  @SignalMethod
  void credentialsChanged();

  /** Sessions run in this run, and how the last one ended. */
  @QueryMethod
  String status();
}
