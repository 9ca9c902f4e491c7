package dev.outbound.activities.send;

import dev.outbound.activities.alerts.MailboxPauseReason;

/**
 * Why SMTP did not take an email, sorted by what the send activity must do about it. The
 * description holds reply codes and exception types only, never the server's reply text (which may
 * quote the recipient).
 */
public class SmtpFailure extends Exception {

  /**
   * What the failure means for the claim and for retries. Which side is at fault decides: the
   * recipient (this lead's step fails for good), the sending mailbox (nothing was sent, the lead is
   * held until an operator fixes the mailbox), or nobody yet (retry).
   */
  public enum Kind {
    /**
     * A 5xx reply about this recipient or this email (RCPT TO, DATA): the server will not take it.
     * The step fails for good.
     */
    PERMANENT,
    /** The recipient's address cannot be used. The step fails for good. */
    INVALID_ADDRESS,
    /**
     * The sending mailbox cannot send (credentials refused, sender or authentication rejected by
     * policy, sending quota reached). Nothing was sent and the lead is not at fault: the claim is
     * released and the lead held until an operator fixes the mailbox and resumes it.
     */
    MAILBOX,
    /**
     * Nothing was sent and a retry may succeed (unreachable, 4xx reply, timeout before content).
     */
    TRANSIENT,
    /** The content went out but no final reply came: the server may have accepted it. */
    AMBIGUOUS
  }

  private final Kind kind;
  private final MailboxPauseReason pauseReason;

  public SmtpFailure(Kind kind, String description) {
    this(kind, description, null);
  }

  /**
   * @param pauseReason for a {@link Kind#MAILBOX} failure that will not pass by itself (a refused
   *     login, a rejected sender), why the mailbox must be paused; null otherwise
   */
  public SmtpFailure(Kind kind, String description, MailboxPauseReason pauseReason) {
    super(description, null, false, false);
    this.kind = kind;
    this.pauseReason = pauseReason;
  }

  /** Why the mailbox must be paused, or null when it need not be. */
  public MailboxPauseReason pauseReason() {
    return pauseReason;
  }

  public Kind kind() {
    return kind;
  }
}
