package dev.outbound.worker.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.temporal.activity.ActivityInfo;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

/**
 * When an activity failure is final. A real Temporal server hands the activity its retry policy
 * (the Java test server does not), which is what these infos stand for.
 */
class TemporalErrorReporterTest {

  private static ActivityInfo attempt(int attempt, RetryOptions retry) {
    ActivityInfo info = mock(ActivityInfo.class);
    when(info.getAttempt()).thenReturn(attempt);
    when(info.getRetryOptions()).thenReturn(retry);
    return info;
  }

  private static RetryOptions maximum(int attempts) {
    return RetryOptions.newBuilder().setMaximumAttempts(attempts).build();
  }

  @Test
  void theLastAllowedAttemptIsFinalAndTheOnesBeforeItAreNot() {
    RuntimeException failure = new IllegalStateException("database down");

    assertThat(TemporalErrorReporter.isFinalAttempt(attempt(2, maximum(3)), failure)).isFalse();
    assertThat(TemporalErrorReporter.isFinalAttempt(attempt(3, maximum(3)), failure)).isTrue();
  }

  @Test
  void noAttemptIsFinalWithUnlimitedRetries() {
    RuntimeException failure = ApplicationFailure.newFailure("SMTP 451", "TRANSIENT");

    assertThat(TemporalErrorReporter.isFinalAttempt(attempt(500, maximum(0)), failure)).isFalse();
    assertThat(TemporalErrorReporter.isFinalAttempt(attempt(500, null), failure)).isFalse();
  }

  @Test
  void aNonRetryableFailureIsFinalOnAnyAttempt() {
    assertThat(
            TemporalErrorReporter.isFinalAttempt(
                attempt(1, maximum(0)),
                ApplicationFailure.newNonRetryableFailure("lead 3 not found", "NOT_FOUND")))
        .isTrue();
  }

  @Test
  void aFailureTypeOnThePolicysDoNotRetryListIsFinal() {
    RetryOptions retry = RetryOptions.newBuilder().setDoNotRetry("NOT_FOUND").build();

    assertThat(
            TemporalErrorReporter.isFinalAttempt(
                attempt(1, retry), ApplicationFailure.newFailure("lead 3 not found", "NOT_FOUND")))
        .isTrue();
    assertThat(
            TemporalErrorReporter.isFinalAttempt(
                attempt(
                    1,
                    RetryOptions.newBuilder()
                        .setDoNotRetry(IllegalArgumentException.class.getName())
                        .build()),
                new IllegalArgumentException("bad input")))
        .isTrue();
  }
}
