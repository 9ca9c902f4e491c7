package dev.outbound.activities;

import dev.outbound.workflows.FailureType;
import io.temporal.failure.ApplicationFailure;

/** Builds the typed, non-retryable failures activities raise. Messages carry internal IDs only. */
public final class ActivityFailures {

  private ActivityFailures() {}

  public static ApplicationFailure nonRetryable(FailureType type, String message) {
    return ApplicationFailure.newNonRetryableFailure(message, type.name());
  }

  public static ApplicationFailure notFound(String message) {
    return nonRetryable(FailureType.NOT_FOUND, message);
  }
}
