package dev.outbound.workflows;

/**
 * The send activity's answer.
 *
 * @param outcome what happened
 * @param messageId the RFC 5322 Message-ID of the step's email when one was sent (or claimed)
 * @param leadStatus the lead's status in the database when the outcome is {@link
 *     SendOutcome#LEAD_STOPPED}, otherwise {@code null}
 * @param detail a short reason for operators, without personal data
 * @param deferUntil when the outcome is {@link SendOutcome#DEFERRED}: the instant (epoch
 *     milliseconds) from which the step may go out, computed by the activity so that the time-zone
 *     and calendar rules it used are recorded in history (DESIGN.md, "Time and determinism");
 *     otherwise {@code null} (also in results recorded before it existed)
 */
public record SendResult(
    SendOutcome outcome, String messageId, LeadStatus leadStatus, String detail, Long deferUntil) {

  public SendResult(SendOutcome outcome, String messageId, LeadStatus leadStatus, String detail) {
    this(outcome, messageId, leadStatus, detail, null);
  }

  public static SendResult of(SendOutcome outcome, String messageId, String detail) {
    return new SendResult(outcome, messageId, null, detail, null);
  }

  /** Not sent yet: try again at {@code untilEpochMillis}. */
  public static SendResult deferred(long untilEpochMillis, String detail) {
    return new SendResult(SendOutcome.DEFERRED, null, null, detail, untilEpochMillis);
  }
}
