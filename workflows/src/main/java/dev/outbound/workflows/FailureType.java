package dev.outbound.workflows;

/**
 * The types of non-retryable {@code ApplicationFailure}s activities raise. Workflows and retry
 * options refer to these names, so they live in one enum.
 */
public enum FailureType {
  /** The SMTP server rejected the message permanently (5xx). */
  SMTP_PERMANENT,
  /** The recipient or sender address is not a valid address. */
  INVALID_ADDRESS,
  /** The lead, campaign, step or mailbox does not exist (or not for this client). */
  NOT_FOUND,
  /**
   * The mailbox's stored settings cannot be used. Today's send activity reports these as {@link
   * SendOutcome#HELD}; the workflow also holds (never fails) a lead on this failure type.
   */
  MAILBOX_MISCONFIGURED;

  /** The failure type names, for {@code RetryOptions.setDoNotRetry}. */
  public static String[] names() {
    FailureType[] values = values();
    String[] names = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      names[i] = values[i].name();
    }
    return names;
  }
}
