package dev.outbound.activities;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats the current activity in the background while it works, so that Temporal notices a
 * worker that died within the activity's heartbeat timeout instead of its (much longer)
 * start-to-close timeout, and retries the work on another worker. Outside an activity (plain unit
 * tests) it does nothing.
 */
public final class Heartbeat implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "outbound-activity-heartbeat");
            thread.setDaemon(true);
            return thread;
          });

  private final ScheduledFuture<?> beat;

  private Heartbeat(ScheduledFuture<?> beat) {
    this.beat = beat;
  }

  /** Starts heartbeating now and every {@code period} until closed. */
  public static Heartbeat every(Duration period) {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException notInAnActivity) {
      return new Heartbeat(null);
    }
    long millis = period.toMillis();
    return new Heartbeat(
        TIMER.scheduleAtFixedRate(() -> beat(context), 0, millis, TimeUnit.MILLISECONDS));
  }

  private static void beat(ActivityExecutionContext context) {
    try {
      context.heartbeat(null);
    } catch (RuntimeException e) {
      // Cancelled or timed out: the attempt's own outcome decides what happens, not the heartbeat.
      log.debug("Heartbeat not accepted: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (beat != null) {
      beat.cancel(false);
    }
  }
}
