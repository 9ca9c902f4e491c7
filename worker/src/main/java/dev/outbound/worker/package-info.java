/**
 * The worker application: polls the Outbound task queue, runs the workflows and the activities, and
 * ties the database pool to the activity concurrency so it can never exhaust PostgreSQL's
 * connections.
 */
package dev.outbound.worker;
