/**
 * Reading what comes back: IMAP polling ({@link dev.outbound.activities.inbound.ImapInbox}),
 * classification of each received message into a human reply, an auto-reply (with the return date
 * of an out-of-office when one can be read), a bounce (hard or soft, with the failed recipient and
 * the original Message-ID) or unknown ({@link dev.outbound.activities.inbound.InboundClassifier}),
 * and the keys that match a message to the send it answers ({@link
 * dev.outbound.activities.inbound.InboundMatching}).
 *
 * <p>These are building blocks for the inbox-watching activity; they hold no state and write
 * nothing. Classification errs on the side of "human reply": a reply that is mistaken for an
 * auto-reply lets the sequence mail someone who answered, which is worse than stopping a sequence
 * for an unusual auto-reply. Only the text a sender wrote counts, never what they quote, so a human
 * reply that quotes an out-of-office stays a human reply.
 */
package dev.outbound.activities.inbound;
