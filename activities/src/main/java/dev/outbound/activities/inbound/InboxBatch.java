package dev.outbound.activities.inbound;

import java.time.Instant;
import java.util.List;

/**
 * What one poll found.
 *
 * @param messages the new messages in UID order, without the mailbox's own sent copies
 * @param next where the next poll starts; store it once the messages are processed
 * @param uidValidityChanged the INBOX's UIDVALIDITY is not the cursor's: the UIDs were reassigned,
 *     so this batch starts again from the first message. Messages seen before come again; the
 *     caller drops them by Message-ID
 * @param more there are more new messages than one poll returns; poll again right away
 * @param skippedOwnCopies how many of the mailbox's own sent copies were passed over
 */
public record InboxBatch(
    List<Message> messages,
    InboxCursor next,
    boolean uidValidityChanged,
    boolean more,
    int skippedOwnCopies) {

  public InboxBatch {
    messages = List.copyOf(messages);
  }

  /**
   * One received message.
   *
   * @param raw the message as RFC 5322 bytes (see {@link InboundClassifier#parse})
   * @param receivedAt when the server received it (IMAP INTERNALDATE), or {@code null}
   * @param truncated the message was larger than {@code outbound.inbound.max-message-size}: {@code
   *     raw} holds its headers only
   */
  public record Message(long uid, byte[] raw, Instant receivedAt, boolean truncated) {}
}
