package dev.outbound.worker.health;

import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Ready when this worker can do work: the Temporal frontend answers a cheap call ({@code
 * GetSystemInfo}, the one the SDK makes when it connects) within {@link #TIMEOUT}, and the worker
 * factory is started, not shutting down, and no worker's polling is suspended.
 *
 * <p>The contributor's name is {@code temporalWorkers} (the bean name without its suffix), listed
 * in {@code management.endpoint.health.group.readiness.include}.
 */
public class TemporalWorkersHealthIndicator implements HealthIndicator {

  /** Well below a probe's usual timeout, so a hung frontend reads as down rather than as slow. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final WorkflowServiceStubs stubs;
  private final WorkerFactory factory;
  private final Supplier<Collection<Worker>> workers;

  public TemporalWorkersHealthIndicator(
      WorkflowServiceStubs stubs, WorkerFactory factory, Supplier<Collection<Worker>> workers) {
    this.stubs = stubs;
    this.factory = factory;
    this.workers = workers;
  }

  @Override
  public Health health() {
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      return Health.down()
          .withDetail("temporal", "unreachable: " + e.getStatus().getCode())
          .build();
    }
    if (factory.isShutdown()) {
      return Health.down().withDetail("workers", "shutting down").build();
    }
    if (!factory.isStarted()) {
      // The starter starts the workers once the application is ready; until then no task is taken.
      return Health.down().withDetail("workers", "not started yet").build();
    }
    List<String> suspended =
        workers.get().stream().filter(Worker::isSuspended).map(Worker::getTaskQueue).toList();
    if (!suspended.isEmpty()) {
      return Health.down().withDetail("suspended", suspended).build();
    }
    return Health.up()
        .withDetail(
            "taskQueues", workers.get().stream().map(Worker::getTaskQueue).sorted().toList())
        .build();
  }
}
