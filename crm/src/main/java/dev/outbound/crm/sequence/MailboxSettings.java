package dev.outbound.crm.sequence;

/**
 * A mailbox's sending settings. The password stays encrypted here; the sender decrypts it just
 * before use. {@link #toString()} leaves the credentials out.
 *
 * @param status {@code ACTIVE} or {@code PAUSED}
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
    String status) {

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
