package dev.outbound.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Reading one mailbox's INBOX and acting on what came back. */
@ActivityInterface
public interface InboxActivities {

  /**
   * Reads the client's mailbox's INBOX for about {@code sessionSeconds}: polls it on a short
   * interval, classifies each new message (reply, out-of-office, other automatic answer, bounce,
   * mailto unsubscribe), matches it to the send it answers, records the decision and tells the
   * lead's workflow. Heartbeats after each poll; ends early (with {@link InboxSessionEnd#ELAPSED})
   * when the worker shuts down, so a redeploy is not held up by a reading session.
   *
   * <p>Idempotent: where the reading stands is stored with each message's decision in one
   * transaction, and a message seen before is passed over, so a retry after a crash repeats
   * nothing.
   */
  @ActivityMethod
  InboxSession read(long clientId, long mailboxId, int sessionSeconds);
}
