package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.activities.send.FaultInjection.HaltPoint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The test-only halt points stay out of the way unless a test turns them on. */
class FaultInjectionTest {

  private final ApplicationContextRunner context =
      new ApplicationContextRunner().withBean(FaultInjection.class);

  @Test
  void isOffWhenNoPropertyIsSet() {
    context.run(
        started -> {
          FaultInjection faults = started.getBean(FaultInjection.class);
          assertThat(faults.enabled()).isFalse();
          for (int attempt = 0; attempt < 3; attempt++) {
            for (HaltPoint point : HaltPoint.values()) {
              faults.reached(point); // Would halt this JVM if it were on.
            }
          }
        });
  }

  @Test
  void theConstantForHandBuiltActivitiesIsOff() {
    assertThat(FaultInjection.OFF.enabled()).isFalse();
    for (HaltPoint point : HaltPoint.values()) {
      FaultInjection.OFF.reached(point);
    }
  }

  @Test
  void haltsOnlyAtTheConfiguredPointAndAttempt() {
    context
        .withPropertyValues("outbound.fault.halt-at=AFTER_COMMIT", "outbound.fault.halt-on-send=3")
        .run(
            started -> {
              FaultInjection faults = started.getBean(FaultInjection.class);
              assertThat(faults.enabled()).isTrue();
              // Other points never halt; the configured one not before its third attempt.
              faults.reached(HaltPoint.BEFORE_CLAIM);
              faults.reached(HaltPoint.AFTER_CLAIM);
              faults.reached(HaltPoint.AFTER_SMTP_ACCEPTED);
              faults.reached(HaltPoint.AFTER_COMMIT);
              faults.reached(HaltPoint.AFTER_COMMIT);
            });
  }

  @Test
  void refusesAHaltOnSendBelowOne() {
    context
        .withPropertyValues("outbound.fault.halt-at=AFTER_CLAIM", "outbound.fault.halt-on-send=0")
        .run(started -> assertThat(started).hasFailed());
  }
}
