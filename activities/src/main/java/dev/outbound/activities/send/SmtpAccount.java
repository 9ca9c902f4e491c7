package dev.outbound.activities.send;

/**
 * Where and as whom a mailbox sends. {@link #toString()} leaves out the credentials.
 *
 * @param username the SMTP user, or {@code null} for a server without authentication
 * @param password the decrypted password, or {@code null}
 * @param tls STARTTLS (required, not opportunistic), or implicit TLS on port 465
 */
public record SmtpAccount(
    long mailboxId, String host, int port, String username, String password, boolean tls) {

  @Override
  public String toString() {
    return "SmtpAccount[mailbox " + mailboxId + ", " + host + ":" + port + ", tls=" + tls + "]";
  }
}
