/**
 * The REST API: mailboxes, campaigns (with control: start, pause, resume, stop), leads, counts and
 * timelines, under {@code /api/v1}. Packaged by feature; {@code auth} resolves the client of the
 * API key, {@code web} renders every error as an RFC 9457 problem detail, and {@code temporal} is
 * the one place that starts and signals workflows. Depends on the workflow interfaces and records
 * only.
 */
package dev.outbound.api;
