/**
 * Inbound webhooks from other tools: a booking tool reports a meeting booked by a lead ({@link
 * dev.outbound.api.hooks.MeetingWebhookController}). Public paths outside {@code /api},
 * authenticated by an HMAC signature per client instead of an API key.
 */
package dev.outbound.api.hooks;
