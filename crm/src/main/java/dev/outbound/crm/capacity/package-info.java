/**
 * Mailbox capacity that holds across workers and crashes: reservations of send slots in PostgreSQL,
 * so that a mailbox's daily cap (with its warm-up ramp), its minimum gap between sends (plus random
 * jitter) and a client's per-recipient-domain hourly limit hold however many workers send at once,
 * and whatever crashes in between.
 *
 * <p>The protocol for one step of one lead: {@link
 * dev.outbound.crm.capacity.MailboxCapacityStore#reserve reserve} a slot; when the slot is not yet
 * due, wait until it is and reserve again (the same slot comes back); when it is due, mark it used
 * in the transaction that claims the send and send. A lead that stops or pauses releases its unused
 * slots, and their capacity counts again. See {@link dev.outbound.crm.capacity.SlotSearch} for the
 * rules a slot satisfies and their trade-offs, {@link
 * dev.outbound.crm.capacity.MailboxCapacityStore} for the locking, and {@link
 * dev.outbound.crm.capacity.MailboxUsageStore} for a mailbox's capacity today as the API shows it.
 */
package dev.outbound.crm.capacity;
