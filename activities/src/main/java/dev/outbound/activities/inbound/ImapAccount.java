package dev.outbound.activities.inbound;

import java.util.Locale;

/**
 * One mailbox's IMAP login.
 *
 * @param tls implicit TLS (IMAPS, usually port 993) with the server's certificate and host name
 *     checked; {@code false} is plain IMAP, for local servers only
 * @param password plain text, decrypted by the caller right before the poll; never logged (see
 *     {@link #toString()})
 * @param mailboxAddress the mailbox's own address: messages from it are its own sent copies
 */
public record ImapAccount(
    String host, int port, boolean tls, String username, String password, String mailboxAddress) {

  public ImapAccount {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("an IMAP host is required");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("the IMAP port must be between 1 and 65535");
    }
    mailboxAddress =
        mailboxAddress == null ? null : mailboxAddress.strip().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "ImapAccount[" + host + ":" + port + (tls ? " tls" : "") + ", user " + username + "]";
  }
}
