package dev.outbound.activities.inbound;

/**
 * Where a mailbox's reading stands: every message with a UID up to {@code lastUid} in the INBOX of
 * {@code uidValidity} has been seen. UIDs are only comparable within one UIDVALIDITY (RFC 3501
 * 2.3.1.1); when the server changes it, the UIDs start over and so does the reading.
 *
 * @param uidValidity the INBOX's UIDVALIDITY, or 0 before the first poll
 * @param lastUid the highest UID seen, or 0 for none
 */
public record InboxCursor(long uidValidity, long lastUid) {

  public InboxCursor {
    if (uidValidity < 0 || lastUid < 0) {
      throw new IllegalArgumentException("UIDVALIDITY and UID are never negative");
    }
  }

  /** Before the first poll: read the INBOX from its first message. */
  public static InboxCursor start() {
    return new InboxCursor(0, 0);
  }
}
