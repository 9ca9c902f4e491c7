package dev.outbound.workflows;

/**
 * The task queues workers poll. One queue today; named here so the API and the worker cannot drift.
 */
public final class TaskQueues {

  /** Lead sequences, campaign enrolment and all activities. */
  public static final String OUTBOUND = "outbound";

  private TaskQueues() {}
}
