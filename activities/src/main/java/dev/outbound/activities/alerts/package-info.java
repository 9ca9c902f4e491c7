/**
 * Operator alerts: a Slack-compatible webhook ({@code {"text": ...}}) for the events that need a
 * human, such as a mailbox paused for bounces or a refused login, an ambiguous send, or a campaign
 * stopped by an error.
 *
 * <p>Alerts are delivered in the background with short timeouts and a bounded number of retries, so
 * a slow or dead webhook never holds up a send. Payloads carry internal IDs and fixed reason codes
 * only: no address, name or message content ever leaves through a webhook. With no webhook URL
 * configured the alerts are off (and cost nothing).
 */
package dev.outbound.activities.alerts;
