/**
 * Activity implementations: the side effects of the workflows in {@code dev.outbound.workflows}.
 *
 * <p>Each activity can run twice without doing its effect twice (Temporal retries an activity whose
 * result it did not receive), and reports a permanent failure as a non-retryable {@code
 * ApplicationFailure} whose type is a {@code FailureType} name. Nothing that reaches Temporal
 * (results, failure messages, heartbeat details) or the logs carries personal data: internal IDs
 * only.
 *
 * <p>The beans are named {@code sendActivities}, {@code leadActivities} and {@code
 * campaignActivities}, the names the worker registers.
 */
package dev.outbound.activities;
