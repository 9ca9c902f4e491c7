package dev.outbound.worker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Worker settings.
 *
 * @param activityConcurrency how many activities run at once in this worker; each may hold one
 *     database connection, so the pool is sized from it
 * @param workflowConcurrency how many workflow tasks run at once
 * @param poolHeadroom database connections beyond the activity slots (health checks, startup work)
 * @param stickyExecution keep workflow state cached between tasks (sticky task queues). On by
 *     default for a real Temporal cluster; must be off against the Java test server, where sticky
 *     queues never time out and a restarted worker's workflows would hang (docs/architecture.md,
 *     "Task queues and worker settings")
 * @param registerSearchAttributes register the project's search attributes on start (the launcher's
 *     embedded server, a local {@code temporal server start-dev}); off for a real cluster, where
 *     the infra Job registers them with operator rights the worker should not have
 * @param workflowCacheSize how many workflow executions this worker keeps in memory between their
 *     tasks (sticky execution). Waiting leads beyond it are evicted and replayed from their short
 *     history when their timer fires, so the worker's memory is bounded by this, not by the number
 *     of waiting leads. Each cached execution holds a workflow thread
 * @param maxWorkflowThreads the workflow threads this worker may hold (cached executions and those
 *     running); at least the cache size, or the cache cannot fill
 * @param workflowPollers concurrent long polls for workflow tasks on each task queue
 * @param activityPollers concurrent long polls for activity tasks on each task queue
 * @param virtualThreads whether workflow threads and the worker's executors are virtual threads:
 *     {@code AUTO} (the default) uses them on a JVM that has them (Java 21 and newer), where a
 *     cached workflow then costs no platform thread stack
 */
@Validated
@ConfigurationProperties("outbound.worker")
public record WorkerProperties(
    @DefaultValue("16") @Min(1) @Max(500) int activityConcurrency,
    @DefaultValue("50") @Min(1) @Max(1000) int workflowConcurrency,
    @DefaultValue("4") @Min(1) @Max(50) int poolHeadroom,
    @DefaultValue("true") boolean stickyExecution,
    @DefaultValue("false") boolean registerSearchAttributes,
    @DefaultValue("600") @Min(0) @Max(100_000) int workflowCacheSize,
    @DefaultValue("800") @Min(1) @Max(100_000) int maxWorkflowThreads,
    @DefaultValue("4") @Min(1) @Max(100) int workflowPollers,
    @DefaultValue("4") @Min(1) @Max(100) int activityPollers,
    @DefaultValue("AUTO") @NotNull VirtualThreads virtualThreads) {

  /** Whether to use virtual threads. */
  public enum VirtualThreads {
    /** On when the JVM has virtual threads (Java 21+). */
    AUTO,
    ON,
    OFF
  }

  public WorkerProperties {
    if (virtualThreads == VirtualThreads.ON && !jvmHasVirtualThreads()) {
      throw new IllegalArgumentException(
          "outbound.worker.virtual-threads=ON needs Java 21 or newer; this JVM is "
              + Runtime.version().feature()
              + " (use AUTO)");
    }
    if (maxWorkflowThreads < workflowCacheSize) {
      throw new IllegalArgumentException(
          "outbound.worker.max-workflow-threads ("
              + maxWorkflowThreads
              + ") must be at least outbound.worker.workflow-cache-size ("
              + workflowCacheSize
              + ")");
    }
  }

  /** Whether this worker runs its workflows and executors on virtual threads. */
  public boolean usesVirtualThreads() {
    return virtualThreads == VirtualThreads.ON
        || (virtualThreads == VirtualThreads.AUTO && jvmHasVirtualThreads());
  }

  static boolean jvmHasVirtualThreads() {
    return Runtime.version().feature() >= 21;
  }

  /** The database pool size this worker needs: one connection per activity slot plus headroom. */
  public int databasePoolSize() {
    return activityConcurrency + poolHeadroom;
  }
}
