package dev.outbound.activities.inbound;

import java.time.LocalDate;

/**
 * What a received message is. Records with plain values (strings, dates, enums) only, so that an
 * activity can return them as they are.
 */
public sealed interface Classification
    permits Classification.HumanReply,
        Classification.AutoReply,
        Classification.Bounce,
        Classification.Unknown {

  /**
   * A person wrote it: the lead replied.
   *
   * @param asksToUnsubscribe whether the reply's own text asks to be left alone ("unsubscribe",
   *     "remove me", "abmelden", "désinscrire", "darme de baja", ...); a hint the caller may act
   *     on, the reply is a reply either way
   */
  record HumanReply(boolean asksToUnsubscribe) implements Classification {}

  /**
   * Software answered for the recipient: not a reply.
   *
   * @param kind what kind of automatic answer it is
   * @param returnDate for an out-of-office, the day the sender says they are back (or the last day
   *     away, when that is all they say); {@code null} when no date could be read
   */
  record AutoReply(AutoReplyKind kind, LocalDate returnDate) implements Classification {}

  /**
   * The email was not delivered (or not yet: a delay is a soft bounce).
   *
   * @param type whether the address is bad for good (hard) or delivery may succeed later (soft)
   * @param failedRecipient the address that failed, lower-cased, or {@code null} when the bounce
   *     does not say
   * @param status the enhanced status code ({@code 5.1.1}) when known, or {@code null}
   * @param diagnostic the receiving server's own words (e.g. {@code 550 5.1.1 User unknown}), at
   *     most 500 characters, or {@code null}
   * @param originalMessageId the Message-ID of the email that bounced, in angle brackets, or {@code
   *     null} when the bounce carries none
   */
  record Bounce(
      BounceType type,
      String failedRecipient,
      String status,
      String diagnostic,
      String originalMessageId)
      implements Classification {}

  /**
   * Nothing could be said: an empty message, a delivery report that reports success, a message that
   * could not be parsed.
   *
   * @param reason why, for logs (never message content)
   */
  record Unknown(String reason) implements Classification {}

  /** Kinds of automatic answers. */
  enum AutoReplyKind {
    /** Out of office, vacation, leave: the person will be back. */
    OUT_OF_OFFICE,
    /** Any other automatic answer: ticket systems, "we received your message", read receipts. */
    AUTO_RESPONDER,
    /** A challenge-response filter asking the sender to prove they are human. */
    CHALLENGE_RESPONSE,
    /** Bulk mail (a newsletter, a list) that happened to arrive in the mailbox. */
    BULK
  }

  /** Hard: the address does not work (suppress it). Soft: try again later. */
  enum BounceType {
    HARD,
    SOFT
  }
}
