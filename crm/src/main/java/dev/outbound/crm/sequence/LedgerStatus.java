package dev.outbound.crm.sequence;

/** The states of a send ledger row; the names are the database's. */
public enum LedgerStatus {
  /**
   * Claimed before SMTP is spoken to; the outcome is unknown until it is marked. Whether the
   * content may already have reached the server is in {@link LedgerEntry#contentStarted()}.
   */
  SENDING,
  /** The SMTP server accepted the email. */
  SENT,
  /** The SMTP server or the address rejected the email permanently. */
  FAILED,
  /** A claim found unfinished: the email may or may not have gone out. Never re-sent silently. */
  AMBIGUOUS
}
