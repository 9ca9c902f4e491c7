package dev.outbound.crm.sequence;

/**
 * One row of the send ledger.
 *
 * @param stepIndex the step
 * @param mailboxId the mailbox that sends (or sent) it
 * @param messageId the email's Message-ID, derived from internal IDs only
 * @param status where the send stands
 * @param error why it failed, without personal data, or {@code null}
 * @param claimId the row's ID: identifies one claim, so that an attempt acts only on its own
 * @param contentStarted whether the email's content may have been handed to SMTP (see {@link
 *     SendLedgerStore#markContentStarted}); false only while it certainly was not
 */
public record LedgerEntry(
    int stepIndex,
    long mailboxId,
    String messageId,
    LedgerStatus status,
    String error,
    long claimId,
    boolean contentStarted) {}
