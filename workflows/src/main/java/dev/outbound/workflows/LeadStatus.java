package dev.outbound.workflows;

/** Where a lead stands in its campaign. The names are the API's and the database's. */
public enum LeadStatus {
  /** Enrolled, workflow not started yet. */
  PENDING,
  /** The sequence is running: waiting for the next step or sending it. */
  ACTIVE,
  /** Held by an operator or by the campaign being paused; resumes where it was. */
  PAUSED,
  /**
   * Cannot go on without an operator (e.g. a template variable without value); resume after fixing.
   */
  HELD,
  COMPLETED,
  REPLIED,
  BOUNCED,
  UNSUBSCRIBED,
  MEETING_BOOKED,
  /** The campaign (or an operator) stopped the sequence. */
  STOPPED,
  /** A permanent failure ended the sequence; the timeline says why. */
  FAILED;

  /** Terminal statuses never change again and stop the sequence. */
  public boolean isTerminal() {
    return switch (this) {
      case PENDING, ACTIVE, PAUSED, HELD -> false;
      default -> true;
    };
  }
}
