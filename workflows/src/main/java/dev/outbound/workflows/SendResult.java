package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;

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
 *     and calendar rules it used are recorded in history (docs/architecture.md, "Determinism rules
 *     and how they are enforced"); otherwise {@code null} (also in results recorded before it
 *     existed)
 * @param nextDueAt from {@link SendActivities#sendStepAndSchedule}, when the step is (already) sent
 *     and another one follows: the instant (epoch milliseconds) the next step is due, as the
 *     activity recorded it with the send (the lead's {@code next_send_at}); otherwise {@code null}
 */
public record SendResult(
    SendOutcome outcome,
    String messageId,
    LeadStatus leadStatus,
    String detail,
    Long deferUntil,
    Long nextDueAt) {

  public SendResult(
      SendOutcome outcome,
      String messageId,
      LeadStatus leadStatus,
      String detail,
      Long deferUntil) {
    this(outcome, messageId, leadStatus, detail, deferUntil, null);
  }

  public SendResult(SendOutcome outcome, String messageId, LeadStatus leadStatus, String detail) {
    this(outcome, messageId, leadStatus, detail, null, null);
  }

  /** This result with the next step's due time the activity recorded. */
  public SendResult withNextDueAt(long nextDueAtMillis) {
    return new SendResult(outcome, messageId, leadStatus, detail, deferUntil, nextDueAtMillis);
  }

  public static SendResult of(SendOutcome outcome, String messageId, String detail) {
    return new SendResult(outcome, messageId, null, detail, null, null);
  }

  /** Not sent yet: try again at {@code untilEpochMillis}. */
  public static SendResult deferred(long untilEpochMillis, String detail) {
    return new SendResult(SendOutcome.DEFERRED, null, null, detail, untilEpochMillis, null);
  }
}
