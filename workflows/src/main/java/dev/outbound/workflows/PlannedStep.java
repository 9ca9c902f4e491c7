package dev.outbound.workflows;

/**
 * One step of a sequence as the workflow needs it: its 1-based index and how long after the
 * previous step (or after enrolment, for step 1) it is due. Subject and body stay in the database.
 */
public record PlannedStep(int index, long delaySeconds) {

  public PlannedStep {
    if (index < 1) {
      throw new IllegalArgumentException("step index starts at 1, was " + index);
    }
    if (delaySeconds < 0) {
      throw new IllegalArgumentException("step delay cannot be negative, was " + delaySeconds);
    }
  }
}
