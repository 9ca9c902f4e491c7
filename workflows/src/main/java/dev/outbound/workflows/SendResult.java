package dev.outbound.workflows;

/**
 * The send activity's answer.
 *
 * @param outcome what happened
 * @param messageId the RFC 5322 Message-ID of the step's email when one was sent (or claimed)
 * @param leadStatus the lead's status in the database when the outcome is {@link
 *     SendOutcome#LEAD_STOPPED}, otherwise {@code null}
 * @param detail a short reason for operators, without personal data
 */
public record SendResult(
    SendOutcome outcome, String messageId, LeadStatus leadStatus, String detail) {

  public static SendResult of(SendOutcome outcome, String messageId, String detail) {
    return new SendResult(outcome, messageId, null, detail);
  }
}
