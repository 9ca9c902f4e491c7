package dev.outbound.api.mailboxes;

import dev.outbound.crm.admin.MailboxStore;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * A mailbox as the API shows it: never a password, only whether one is stored. {@code dailyCap} and
 * {@code minGapSeconds} are shown as stored; {@code caps} says they are not enforced yet.
 */
record MailboxView(
    long id,
    String email,
    String displayName,
    Server smtp,
    Server imap,
    @Schema(description = MailboxView.CAPS_NOTE) int dailyCap,
    @Schema(description = MailboxView.CAPS_NOTE) int minGapSeconds,
    @Schema(description = "How dailyCap and minGapSeconds apply today.") String caps,
    String status,
    Instant createdAt) {

  /** What the engine does with the caps so far. */
  static final String CAPS_NOTE =
      "stored; enforcement of daily caps and minimum gap comes with the deliverability work";

  record Server(String host, int port, String username, boolean tls, boolean passwordSet) {

    static Server of(MailboxStore.ServerView s) {
      return s == null
          ? null
          : new Server(s.host(), s.port(), s.username(), s.tls(), s.hasPassword());
    }
  }

  static MailboxView of(MailboxStore.Mailbox m) {
    return new MailboxView(
        m.id(),
        m.email(),
        m.displayName(),
        Server.of(m.smtp()),
        Server.of(m.imap()),
        m.dailyCap(),
        m.minGapSeconds(),
        CAPS_NOTE,
        m.status(),
        m.createdAt());
  }
}
