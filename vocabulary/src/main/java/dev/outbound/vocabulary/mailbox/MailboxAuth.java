package dev.outbound.vocabulary.mailbox;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** How a mailbox logs in to its SMTP and IMAP servers. */
public enum MailboxAuth {
  /** A password (or an app password) sent with SMTP AUTH PLAIN/LOGIN and IMAP LOGIN. */
  PASSWORD,
  /** An OAuth2 access token sent with SASL XOAUTH2, refreshed by Outbound before it expires. */
  OAUTH2;

  /** The value named {@code name} exactly, or empty. */
  public static Optional<MailboxAuth> parse(String name) {
    return Arrays.stream(values()).filter(v -> v.name().equals(name)).findFirst();
  }

  /** The names, for error messages and the API's documentation. */
  public static List<String> names() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }
}
