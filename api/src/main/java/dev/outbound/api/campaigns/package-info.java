/**
 * Campaigns: create (steps with their A/B variants, send window, per-domain hourly limit and
 * mailbox pool in one go), list, read with counts (per step, and per variant), and control. Control
 * changes the database first with a conditional update, then tells the campaign workflow through
 * signal-with-start; both halves are idempotent, so a repeated call repairs a half-done one.
 */
package dev.outbound.api.campaigns;
