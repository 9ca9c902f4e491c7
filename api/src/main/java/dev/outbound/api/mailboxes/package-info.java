/**
 * Sending mailboxes: create and read. Passwords go in, are stored encrypted, and never come out.
 */
package dev.outbound.api.mailboxes;
