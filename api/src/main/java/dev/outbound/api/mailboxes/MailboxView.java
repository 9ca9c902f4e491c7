package dev.outbound.api.mailboxes;

import dev.outbound.crm.admin.MailboxStore;
import java.time.Instant;

/** A mailbox as the API shows it: never a password, only whether one is stored. */
record MailboxView(
    long id,
    String email,
    String displayName,
    Server smtp,
    Server imap,
    int dailyCap,
    int minGapSeconds,
    String status,
    Instant createdAt) {

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
        m.status(),
        m.createdAt());
  }
}
