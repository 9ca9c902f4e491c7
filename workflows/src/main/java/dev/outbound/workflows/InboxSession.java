package dev.outbound.workflows;

/**
 * What one reading session did.
 *
 * @param messages messages read (new to the mailbox's watcher)
 * @param acted messages that changed a lead (reply, bounce, out-of-office, unsubscribe)
 * @param uidValidity the INBOX's UIDVALIDITY at the end of the session (0 if never read)
 * @param lastUid the highest UID processed (0 for none)
 */
public record InboxSession(
    InboxSessionEnd end, int messages, int acted, long uidValidity, long lastUid) {}
