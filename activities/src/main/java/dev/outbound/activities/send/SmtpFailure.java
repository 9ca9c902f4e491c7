package dev.outbound.activities.send;

/**
 * Why SMTP did not take an email, sorted by what the send activity must do about it. The
 * description holds reply codes and exception types only, never the server's reply text (which may
 * quote the recipient).
 */
public class SmtpFailure extends Exception {

  /** What the failure means for the claim and for retries. */
  public enum Kind {
    /** A 5xx reply: the server will not take this email. The step fails for good. */
    PERMANENT,
    /** The recipient's address cannot be used. The step fails for good. */
    INVALID_ADDRESS,
    /**
     * The server refused the mailbox's credentials: nothing was sent, an operator must fix them.
     */
    AUTHENTICATION,
    /**
     * Nothing was sent and a retry may succeed (unreachable, 4xx reply, timeout before content).
     */
    TRANSIENT,
    /** The content went out but no final reply came: the server may have accepted it. */
    AMBIGUOUS
  }

  private final Kind kind;

  public SmtpFailure(Kind kind, String description) {
    super(description, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
