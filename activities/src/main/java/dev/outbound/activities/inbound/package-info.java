/**
 * Reading what comes back: IMAP polling ({@link dev.outbound.activities.inbound.ImapInbox}),
 * classification of each received message into a human reply, an auto-reply (with the return date
 * of an out-of-office when one can be read), a bounce (hard or soft, with the failed recipient and
 * the original Message-ID) or unknown ({@link dev.outbound.activities.inbound.InboundClassifier},
 * reading headers through {@link dev.outbound.activities.inbound.MessageHeaders}), and the keys
 * that match a message to the send it answers ({@link
 * dev.outbound.activities.inbound.InboundMatching}). These building blocks hold no state and write
 * nothing.
 *
 * <p>{@link dev.outbound.activities.inbound.InboundProcessor} then decides what one message means
 * and commits it in one transaction, through one small part per kind of message: {@link
 * dev.outbound.activities.inbound.ReplyDecisions}, {@link
 * dev.outbound.activities.inbound.AutoReplyDecisions}, {@link
 * dev.outbound.activities.inbound.BounceDecisions} and {@link
 * dev.outbound.activities.inbound.UnsubscribeDecisions}; the inbox-watching activity ({@link
 * dev.outbound.activities.inbound.InboxActivitiesImpl}) polls and hands each message to it.
 *
 * <p>Classification errs on the side of "human reply": a reply that is mistaken for an auto-reply
 * lets the sequence mail someone who answered, which is worse than stopping a sequence for an
 * unusual auto-reply. Only the text a sender wrote counts, never what they quote, so a human reply
 * that quotes an out-of-office stays a human reply.
 */
package dev.outbound.activities.inbound;
