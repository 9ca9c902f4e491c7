/**
 * The product's own metrics (emails sent and failed per mailbox, replies, bounces, unsubscribes,
 * deferrals by reason, ambiguous sends), counted through Micrometer so that the applications'
 * registry (Prometheus at {@code /actuator/prometheus}) exposes them beside the Temporal SDK's.
 *
 * <p>Tags carry internal IDs and fixed reason names only, never an address or a name, and their
 * values are bounded (mailboxes, a closed set of reasons) so the series stay few.
 */
package dev.outbound.activities.metrics;
