package dev.outbound.workflows;

/**
 * What an {@link InboxWatcherWorkflow} watches, and how.
 *
 * @param sessionSeconds how long one reading session (one activity) lasts; each session costs one
 *     activity and its heartbeats, so a longer session is cheaper and a shorter one hands a mailbox
 *     to another worker sooner after a crash (the heartbeat timeout does that anyway)
 * @param sessionsBeforeNew reading sessions before the workflow continues as new, which keeps its
 *     history short however long the mailbox is watched
 */
public record InboxWatch(long clientId, long mailboxId, int sessionSeconds, int sessionsBeforeNew) {

  /** Reading sessions per run as the worker and the API start watchers. */
  public static final int SESSIONS_PER_RUN = 24;

  public InboxWatch {
    if (clientId <= 0 || mailboxId <= 0) {
      throw new IllegalArgumentException("client and mailbox IDs are positive");
    }
    if (sessionSeconds < 10 || sessionSeconds > 3_600) {
      throw new IllegalArgumentException("a reading session lasts 10 s to 1 h");
    }
    if (sessionsBeforeNew < 1) {
      throw new IllegalArgumentException("at least one session before continuing as new");
    }
  }

  /** Sessions of {@code sessionSeconds}, a new run every {@link #SESSIONS_PER_RUN} sessions. */
  public static InboxWatch of(long clientId, long mailboxId, int sessionSeconds) {
    return new InboxWatch(clientId, mailboxId, sessionSeconds, SESSIONS_PER_RUN);
  }
}
