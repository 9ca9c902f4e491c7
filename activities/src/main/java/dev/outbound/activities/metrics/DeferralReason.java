package dev.outbound.activities.metrics;

/**
 * Why a due step was not sent when it fell due. A closed set, so the {@code reason} tag of {@code
 * outbound_sends_deferred_total} has few values; add a value here rather than passing free text.
 */
public enum DeferralReason {
  /** The SMTP server answered 4xx or could not be reached: the send activity retries. */
  TRANSIENT_SMTP,
  /** The sending mailbox cannot send (credentials, sender rejected, quota, paused): held. */
  MAILBOX_PROBLEM,
  /** The step cannot be rendered (a variable without value or fallback): held. */
  TEMPLATE_PROBLEM,
  /** The campaign or the lead is paused. */
  PAUSED,
  /** The mailbox reached its daily cap. */
  DAILY_CAP,
  /** The mailbox's minimum gap between sends has not passed yet. */
  MIN_GAP,
  /** Outside the lead's send window (business hours, days, holidays). */
  SEND_WINDOW,
  /** The client reached its cap of emails per day. */
  CLIENT_DAILY_CAP
}
