/**
 * Sending mailboxes: create with their pacing (daily cap, minimum gap, jitter, warm-up, the zone of
 * the cap's days) and read with today's usage of their capacity. Passwords go in, are stored
 * encrypted, and never come out.
 */
package dev.outbound.api.mailboxes;
