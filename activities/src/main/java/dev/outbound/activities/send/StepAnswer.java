package dev.outbound.activities.send;

import dev.outbound.workflows.SendResult;

/**
 * The step ends here, unsent, with this answer: thrown by a part of the send script (a stop, an
 * earlier claim, a hold, a deferral, a suppression) once it has recorded what it had to, and caught
 * only by {@link SendActivitiesImpl}, which returns the result to the workflow. An exception rather
 * than a return value so that the script reads as the list of its steps; it is control flow inside
 * this package, never a failure, so it carries no stack trace.
 */
final class StepAnswer extends RuntimeException {

  private final transient SendResult result;

  StepAnswer(SendResult result) {
    super(result.detail(), null, false, false);
    this.result = result;
  }

  /** What the activity answers the workflow. */
  SendResult result() {
    return result;
  }
}
