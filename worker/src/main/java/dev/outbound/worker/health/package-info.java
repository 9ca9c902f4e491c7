/**
 * The worker's probes and its graceful shutdown.
 *
 * <p>Liveness ({@code /actuator/health/liveness}) is Spring Boot's own liveness state: it never
 * asks PostgreSQL or Temporal, so an outage of either does not make Kubernetes restart healthy
 * workers. Readiness ({@code /actuator/health/readiness}) is the readiness state plus {@code db}
 * (PostgreSQL answers) and {@code temporalWorkers} (the Temporal frontend answers and the workers
 * are started, not shut down, and polling).
 *
 * <p>On SIGTERM the worker stops polling and lets the activities it holds finish before the
 * database pool and the Temporal connection close ({@link WorkerDrain}).
 */
package dev.outbound.worker.health;
