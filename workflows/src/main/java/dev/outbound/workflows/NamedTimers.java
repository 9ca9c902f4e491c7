package dev.outbound.workflows;

import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code Workflow.await(timeout, condition)} with a named timer: the summary shows in the Web UI.
 * Like it, the timer is cancelled when the condition wins. Workflow code only.
 */
final class NamedTimers {

  private NamedTimers() {}

  /** Waits for {@code condition} at most {@code timeout}; false when the time ran out. */
  static boolean await(Duration timeout, String summary, Supplier<Boolean> condition) {
    List<Promise<Void>> timer = new ArrayList<>(1);
    CancellationScope scope =
        Workflow.newCancellationScope(
            () ->
                timer.add(
                    Workflow.newTimer(
                        timeout, TimerOptions.newBuilder().setSummary(summary).build())));
    scope.run();
    Workflow.await(() -> timer.get(0).isCompleted() || condition.get());
    if (!timer.get(0).isCompleted()) {
      scope.cancel();
      return true;
    }
    return condition.get();
  }
}
