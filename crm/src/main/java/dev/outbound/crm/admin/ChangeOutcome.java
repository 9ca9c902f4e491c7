package dev.outbound.crm.admin;

/** What a requested change did. */
public enum ChangeOutcome {
  /** The status changed. */
  CHANGED,
  /** The row was already where the change leads; nothing changed. */
  UNCHANGED,
  /** The current status does not allow the change. */
  CONFLICT,
  /** No such row for this client. */
  NOT_FOUND
}
