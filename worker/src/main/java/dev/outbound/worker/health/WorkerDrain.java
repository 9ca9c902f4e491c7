package dev.outbound.worker.health;

import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Drains the workers on shutdown: stops polling, then waits for the workflow and activity tasks in
 * hand to finish, before Spring closes the database pool and the Temporal connection they need.
 *
 * <p>The Temporal starter only registers {@code WorkerFactory.shutdown()} as the factory bean's
 * destroy method: it stops polling but does not wait, and the beans destroyed right after it (the
 * connection pool, the service stubs) would fail a send in the middle of its SMTP exchange, which
 * then shows up as an ambiguous step. This lifecycle runs earlier, in a phase above the web
 * server's graceful shutdown (so the probes keep answering while the worker drains), and waits up
 * to {@code spring.lifecycle.timeout-per-shutdown-phase}, which therefore must exceed the longest
 * activity (the send activity's 5-minute start-to-close timeout) and stay below Kubernetes' {@code
 * terminationGracePeriodSeconds}.
 */
public class WorkerDrain implements SmartLifecycle {

  /** Above {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}: stops before it. */
  public static final int PHASE = Integer.MAX_VALUE - 512;

  private static final Logger log = LoggerFactory.getLogger(WorkerDrain.class);

  private final WorkerFactory factory;
  private final Duration timeout;
  private volatile boolean running;

  public WorkerDrain(WorkerFactory factory, Duration timeout) {
    this.factory = factory;
    this.timeout = timeout;
  }

  /** Nothing to start: the starter starts the workers once the application is ready. */
  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    drain();
  }

  /** Drains on its own thread, so Spring can stop the other beans of this phase meanwhile. */
  @Override
  public void stop(Runnable callback) {
    running = false;
    Thread thread =
        new Thread(
            () -> {
              try {
                drain();
              } finally {
                callback.run();
              }
            },
            "outbound-worker-drain");
    thread.start();
  }

  private void drain() {
    running = false;
    if (!factory.isStarted() || factory.isTerminated()) {
      return;
    }
    log.info("Stopping to poll; waiting up to {} for the tasks in hand to finish", timeout);
    factory.shutdown();
    factory.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (factory.isTerminated()) {
      log.info("Workers drained");
    } else {
      log.warn(
          "Tasks still running after {}; they will be retried elsewhere once their heartbeat or"
              + " start-to-close timeout passes",
          timeout);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
