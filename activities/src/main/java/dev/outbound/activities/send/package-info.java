/**
 * The send activity: one step of one lead's sequence becomes at most one email, ever, sent by a
 * mailbox of the lead's campaign over SMTP. Stops win races with it, caps hold across every mailbox
 * and client, and a send that may have gone out is never sent again silently.
 *
 * <p>{@link dev.outbound.activities.send.SendActivitiesImpl} runs each attempt as a script over
 * named parts, in the order that is the guarantee (docs/architecture.md, "Sending one step"):
 *
 * <ol>
 *   <li>load the step's {@code SendContext} in one read (crm's {@code SendContextStore}: the lead,
 *       the campaign, the step, the client and the lead's mailbox);
 *   <li>{@link dev.outbound.activities.send.StatusCheck}: the lead has not ended and its campaign
 *       is active;
 *   <li>{@link dev.outbound.activities.send.Claims#requireUnclaimed}: no earlier attempt claimed
 *       the step (or its claim never reached SMTP);
 *   <li>{@link dev.outbound.activities.send.StepRenderer}: the template with the unsubscribe
 *       footer;
 *   <li>{@link dev.outbound.activities.send.SenderCheck}: the lead's mailbox ({@link
 *       dev.outbound.activities.send.MailboxAssignment} on a first send) can send;
 *   <li>{@link dev.outbound.activities.send.Pacer}: the client's daily cap, then a slot on the
 *       mailbox (its caps and gaps, the recipient's domain, the lead's send window);
 *   <li>{@link dev.outbound.activities.send.SuppressionCheck}: the last look at the suppression
 *       list;
 *   <li>{@link dev.outbound.activities.send.Claims#claim}: the ledger claim, which checks the
 *       statuses again in the same statement;
 *   <li>{@link dev.outbound.activities.send.Delivery}: SMTP through {@link
 *       dev.outbound.activities.send.SmtpMailer};
 *   <li>{@link dev.outbound.activities.send.SentRecorder}: the send, with the next step or the
 *       lead's completion, in one transaction.
 * </ol>
 *
 * <p>A part that ends the step unsent throws its {@link dev.outbound.activities.send.StepAnswer};
 * {@link dev.outbound.activities.send.Waits} (held for an operator, deferred to a time) and {@link
 * dev.outbound.activities.send.Failures} (failed, ambiguous, retried) settle it.
 *
 * <p>Timeline events go through crm's {@code TimelineStore} only (directly, or through the crm
 * store whose transaction they belong to): this package records what happened to the email, {@code
 * SENT}, {@code SEND_FAILED}, {@code AMBIGUOUS}, {@code DEFERRED} and {@code SUPPRESSED}. The
 * workflow records {@code HELD} and the sequence's other states; the one exception is the {@code
 * SCHEDULED} or {@code COMPLETED} that {@code sendStepAndSchedule} records on its behalf in the
 * send's own transaction, so that an email costs one activity.
 *
 * <p>{@link dev.outbound.activities.send.SmtpMailer} with its connection pool, its failure sorting
 * ({@link dev.outbound.activities.send.SmtpFailures}) and its socket and deadline helpers is the
 * SMTP side; {@link dev.outbound.activities.send.FaultInjection} halts a test worker at chosen
 * points of the send.
 */
package dev.outbound.activities.send;
