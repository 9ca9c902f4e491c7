package dev.outbound.worker;

import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Graceful drain on SIGTERM, wired to the Spring lifecycle. The Temporal starter only calls {@code
 * WorkerFactory.shutdown()} when it destroys the factory bean, which does not wait: the client
 * stubs and the database pool are closed right after it, so activities still running (a send
 * between SMTP and its ledger commit) would fail or be cut off. This lifecycle runs first when the
 * context closes: it stops polling, lets every activity and workflow task already received finish
 * (they still have the database and the Temporal connection), and only returns when they have, or
 * when the shutdown phase's time ({@code spring.lifecycle.timeout-per-shutdown-phase}, which the
 * deployment's termination grace period must exceed) is up.
 */
@Component
class WorkerDrain implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WorkerDrain.class);

  private final WorkerFactory factory;
  private final Duration grace;
  private volatile boolean running;

  WorkerDrain(
      WorkerFactory factory,
      @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration grace) {
    this.factory = factory;
    this.grace = grace;
  }

  @Override
  public void start() {
    // The starter starts the factory once the application is ready; this only arms the drain.
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    if (factory.isShutdown()) {
      return;
    }
    long begun = System.nanoTime();
    log.info("Draining: no new tasks are polled; waiting up to {} for running ones", grace);
    factory.shutdown();
    // A little less than the phase timeout, so the log says how it ended.
    long wait = Math.max(1, grace.toMillis() - 500);
    factory.awaitTermination(wait, TimeUnit.MILLISECONDS);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);
    if (factory.isTerminated()) {
      log.info("Drained in {} ms: every running task finished", took);
    } else {
      log.warn("Drain incomplete after {} ms: tasks still running are abandoned", took);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before everything else (the web server, the pools), so running tasks keep them. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
