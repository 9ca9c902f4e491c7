package dev.outbound.activities.inbound;

/**
 * A poll failed. The kind tells the caller whether to retry: an unavailable server is retried, a
 * refused login is the mailbox's problem and needs an operator.
 */
public class InboxException extends Exception {

  /** Why a poll failed. */
  public enum Kind {
    /** The server refused the login: wrong credentials, or IMAP disabled for the account. */
    AUTHENTICATION,
    /** The server could not be reached, or did not answer in time; try again later. */
    UNAVAILABLE,
    /** The server answered something unexpected (no INBOX, no UIDPLUS-style UIDs). */
    PROTOCOL
  }

  private final Kind kind;

  public InboxException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
