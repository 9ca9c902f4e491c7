package dev.outbound.crm.sequence;

import dev.outbound.crm.oauth.OAuthLogin;

/**
 * A mailbox's sending settings. The password stays encrypted here; the sender decrypts it just
 * before use. {@link #toString()} leaves the credentials out.
 *
 * @param status {@code ACTIVE} or {@code PAUSED}
 * @param oauth the mailbox's OAuth2 login, or null when it logs in with a password
 * @param allowPlaintext the mailbox opted out of TLS for a host that is not loopback
 */
public record MailboxSettings(
    long id,
    String email,
    String displayName,
    String smtpHost,
    int smtpPort,
    String smtpUsername,
    String smtpPasswordEnc,
    boolean smtpTls,
    String status,
    OAuthLogin oauth,
    boolean allowPlaintext) {

  /** A mailbox that logs in with a password and never opted out of TLS. */
  public MailboxSettings(
      long id,
      String email,
      String displayName,
      String smtpHost,
      int smtpPort,
      String smtpUsername,
      String smtpPasswordEnc,
      boolean smtpTls,
      String status) {
    this(
        id,
        email,
        displayName,
        smtpHost,
        smtpPort,
        smtpUsername,
        smtpPasswordEnc,
        smtpTls,
        status,
        null,
        false);
  }

  @Override
  public String toString() {
    return "MailboxSettings[id="
        + id
        + ", smtp="
        + smtpHost
        + ":"
        + smtpPort
        + ", tls="
        + smtpTls
        + "]";
  }
}
