/**
 * What comes back to the mailboxes, in the database: each mailbox's reading position ({@link
 * dev.outbound.crm.inbound.InboundStore#cursor}), one row per message read with what it was and
 * what was done, the matching of a message to the send it answers, bounce statistics per mailbox,
 * and the outbox of workflow signals ({@link dev.outbound.crm.inbound.LeadSignalOutbox}) through
 * which a committed decision reaches the lead's workflow even across a crash.
 *
 * <p>Every statement filters on the client: a message read from one client's mailbox can only ever
 * match, stop or suppress that client's leads, whatever Message-IDs it claims to answer.
 */
package dev.outbound.crm.inbound;
