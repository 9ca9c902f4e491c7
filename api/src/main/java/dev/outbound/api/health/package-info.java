/**
 * The API's readiness: Spring Boot's readiness state, {@code db} (PostgreSQL answers) and {@code
 * temporal} (the Temporal frontend answers), served at {@code /actuator/health/readiness}. Liveness
 * ({@code /actuator/health/liveness}) asks no external system, so an outage of PostgreSQL or
 * Temporal takes API pods out of the load balancer without restarting them.
 */
package dev.outbound.api.health;
