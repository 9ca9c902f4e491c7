package dev.outbound.worker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
 *     queues never time out and a restarted worker's workflows would hang (DESIGN.md section 5a)
 * @param registerSearchAttributes register the project's search attributes on start (the launcher's
 *     embedded server, a local {@code temporal server start-dev}); off for a real cluster, where
 *     the infra Job registers them with operator rights the worker should not have
 */
@Validated
@ConfigurationProperties("outbound.worker")
public record WorkerProperties(
    @DefaultValue("16") @Min(1) @Max(500) int activityConcurrency,
    @DefaultValue("50") @Min(1) @Max(1000) int workflowConcurrency,
    @DefaultValue("4") @Min(1) @Max(50) int poolHeadroom,
    @DefaultValue("true") boolean stickyExecution,
    @DefaultValue("false") boolean registerSearchAttributes) {

  /** The database pool size this worker needs: one connection per activity slot plus headroom. */
  public int databasePoolSize() {
    return activityConcurrency + poolHeadroom;
  }
}
