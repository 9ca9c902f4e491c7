package dev.outbound.crm.imports;

/** Where an import stands. The names are the API's and the database's. */
public enum ImportStatus {
  /** Stored and waiting for a runner. */
  QUEUED,
  /** A runner is writing its batches (or was, when the application stopped: it is resumed). */
  RUNNING,
  /** Every batch is written. */
  DONE,
  /** A batch could not be written; the batches written before it stay, the rest can be resumed. */
  FAILED
}
