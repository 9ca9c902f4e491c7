package dev.outbound.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** See {@link InboxWatcherWorkflow}. */
public class InboxWatcherWorkflowImpl implements InboxWatcherWorkflow {

  /** How long a refused login waits for new credentials before it is tried again. */
  static final Duration LOGIN_RETRY = Duration.ofMinutes(30);

  private int sessions;
  private int credentialChanges;
  private InboxSession last;

  @Override
  public void watch(InboxWatch watch) {
    InboxActivities inbox = stub(watch);
    while (sessions < watch.sessionsBeforeNew() && !Workflow.getInfo().isContinueAsNewSuggested()) {
      last = inbox.read(watch.clientId(), watch.mailboxId(), watch.sessionSeconds());
      sessions++;
      switch (last.end()) {
        case MAILBOX_GONE -> {
          return;
        }
        case LOGIN_REFUSED -> {
          int before = credentialChanges;
          NamedTimers.await(
              LOGIN_RETRY,
              "login refused: wait for new credentials",
              () -> credentialChanges != before);
        }
        case ELAPSED -> {}
      }
    }
    Workflow.continueAsNew(watch);
  }

  @Override
  public void credentialsChanged() {
    credentialChanges++;
  }

  @Override
  public String status() {
    return "sessions in this run: "
        + sessions
        + (last == null
            ? ""
            : ", last session " + last.end() + " after " + last.messages() + " messages");
  }

  private static InboxActivities stub(InboxWatch watch) {
    return Workflow.newActivityStub(
        InboxActivities.class,
        ActivityOptions.newBuilder()
            .setSummary("read the inbox of mailbox " + watch.mailboxId())
            // The session's own length, plus room for its last poll and the recording.
            .setStartToCloseTimeout(Duration.ofSeconds(watch.sessionSeconds() + 120L))
            // A crashed worker's session moves to another worker within a minute.
            .setHeartbeatTimeout(Duration.ofSeconds(60))
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setInitialInterval(Duration.ofSeconds(5))
                    .setMaximumInterval(Duration.ofMinutes(2))
                    .build())
            .build());
  }
}
