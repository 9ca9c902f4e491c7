package dev.outbound.workflows;

/** Why a reading session of {@link InboxActivities#read} ended. */
public enum InboxSessionEnd {
  /** The session ran its time (or the worker is shutting down): read on. */
  ELAPSED,
  /** The mailbox was deleted or has no IMAP server any more: stop watching it. */
  MAILBOX_GONE,
  /**
   * The IMAP server refused the login: wait for new credentials (or try again after a long pause)
   * instead of hammering the server with a wrong password.
   */
  LOGIN_REFUSED
}
