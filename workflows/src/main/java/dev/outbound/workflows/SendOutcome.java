package dev.outbound.workflows;

/** What the send activity did with one (lead, step). */
public enum SendOutcome {
  /** Handed to the SMTP server and recorded as sent. */
  SENT,
  /** The ledger already held this step as sent: nothing was sent again. */
  ALREADY_SENT,
  /**
   * An earlier attempt claimed the step and died without recording whether SMTP accepted it. By
   * policy the step is not sent again; it is flagged on the lead's timeline for an operator.
   */
  AMBIGUOUS,
  /**
   * Nothing was sent and an operator must act: the step cannot be rendered (a variable without
   * value or fallback), or the sending mailbox cannot send (credentials refused, sender rejected,
   * quota, missing or paused). The lead is held until resumed.
   */
  HELD,
  /**
   * The lead reached a terminal status in the database (reply, unsubscribe, ...): nothing was sent.
   */
  LEAD_STOPPED,
  /** The campaign is paused: nothing was sent. */
  CAMPAIGN_PAUSED,
  /** The campaign is stopped: nothing was sent. */
  CAMPAIGN_STOPPED,
  /**
   * Nothing was sent yet because the step may not go out now: the lead's send window is closed, or
   * the mailbox has no capacity (daily cap, minimum gap, recipient-domain throttle) until later.
   * {@link SendResult#deferUntil()} says when to try again; the lead stays active.
   */
  DEFERRED
}
