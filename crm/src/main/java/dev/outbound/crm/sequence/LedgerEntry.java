package dev.outbound.crm.sequence;

/**
 * One row of the send ledger.
 *
 * @param stepIndex the step
 * @param mailboxId the mailbox that sends (or sent) it
 * @param messageId the email's Message-ID, derived from internal IDs only
 * @param status where the send stands
 * @param error why it failed, without personal data, or {@code null}
 */
public record LedgerEntry(
    int stepIndex, long mailboxId, String messageId, LedgerStatus status, String error) {}
