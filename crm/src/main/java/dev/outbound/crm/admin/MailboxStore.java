package dev.outbound.crm.admin;

import dev.outbound.crm.CredentialCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A client's sending mailboxes. Passwords are encrypted with {@link CredentialCipher} before they
 * reach the database and are never read back here: the worker decrypts them where it connects.
 */
@Repository
public class MailboxStore {

  /** How to reach a mail server; {@code password} is plain text on the way in only. */
  public record Server(String host, int port, String username, String password, boolean tls) {}

  /** A mailbox to create. {@code imap} may be {@code null} (the mailbox is then not read). */
  public record NewMailbox(
      String email,
      String displayName,
      Server smtp,
      Server imap,
      int dailyCap,
      int minGapSeconds) {}

  /** A server as read back: whether a password is stored, never the password. */
  public record ServerView(
      String host, int port, String username, boolean tls, boolean hasPassword) {}

  /** A stored mailbox, without credentials. {@code imap} is {@code null} when none is set. */
  public record Mailbox(
      long id,
      String email,
      String displayName,
      ServerView smtp,
      ServerView imap,
      int dailyCap,
      int minGapSeconds,
      String status,
      Instant createdAt) {}

  private final JdbcClient jdbc;
  private final CredentialCipher cipher;

  public MailboxStore(JdbcClient jdbc, CredentialCipher cipher) {
    this.jdbc = jdbc;
    this.cipher = cipher;
  }

  /**
   * Creates a mailbox and returns its ID.
   *
   * @throws DuplicateMailboxException when the client already has a mailbox with this address
   */
  public long create(long clientId, NewMailbox mailbox) {
    Server imap = mailbox.imap();
    return jdbc.sql(
            "insert into mailboxes (client_id, email, display_name, smtp_host, smtp_port,"
                + " smtp_username, smtp_password_enc, smtp_tls, imap_host, imap_port,"
                + " imap_username, imap_password_enc, imap_tls, daily_cap, min_gap_seconds) values"
                + " (:client, :email, :displayName, :smtpHost, :smtpPort, :smtpUser, :smtpPassword,"
                + " :smtpTls, :imapHost, :imapPort, :imapUser, :imapPassword, :imapTls, :dailyCap,"
                + " :minGap) on conflict (client_id, email) do nothing returning id")
        .param("client", clientId)
        .param("email", mailbox.email())
        .param("displayName", mailbox.displayName())
        .param("smtpHost", mailbox.smtp().host())
        .param("smtpPort", mailbox.smtp().port())
        .param("smtpUser", mailbox.smtp().username())
        .param("smtpPassword", cipher.encrypt(mailbox.smtp().password()))
        .param("smtpTls", mailbox.smtp().tls())
        .param("imapHost", imap == null ? null : imap.host())
        .param("imapPort", imap == null ? null : imap.port())
        .param("imapUser", imap == null ? null : imap.username())
        .param("imapPassword", imap == null ? null : cipher.encrypt(imap.password()))
        .param("imapTls", imap != null && imap.tls())
        .param("dailyCap", mailbox.dailyCap())
        .param("minGap", mailbox.minGapSeconds())
        .query(Long.class)
        .optional()
        .orElseThrow(() -> new DuplicateMailboxException(mailbox.email()));
  }

  /** The client's mailbox {@code id}; empty when it does not exist or belongs to another client. */
  public Optional<Mailbox> find(long clientId, long id) {
    return jdbc.sql(
            "select id, email, display_name, smtp_host, smtp_port, smtp_username, smtp_password_enc"
                + " is not null as smtp_has_password, smtp_tls, imap_host, imap_port,"
                + " imap_username, imap_password_enc is not null as imap_has_password, imap_tls,"
                + " daily_cap, min_gap_seconds, status, created_at from mailboxes where client_id ="
                + " :client and id = :id")
        .param("client", clientId)
        .param("id", id)
        .query((rs, n) -> mailbox(rs))
        .optional();
  }

  private static Mailbox mailbox(ResultSet rs) throws SQLException {
    ServerView smtp =
        new ServerView(
            rs.getString("smtp_host"),
            rs.getInt("smtp_port"),
            rs.getString("smtp_username"),
            rs.getBoolean("smtp_tls"),
            rs.getBoolean("smtp_has_password"));
    String imapHost = rs.getString("imap_host");
    ServerView imap =
        imapHost == null
            ? null
            : new ServerView(
                imapHost,
                rs.getInt("imap_port"),
                rs.getString("imap_username"),
                rs.getBoolean("imap_tls"),
                rs.getBoolean("imap_has_password"));
    return new Mailbox(
        rs.getLong("id"),
        rs.getString("email"),
        rs.getString("display_name"),
        smtp,
        imap,
        rs.getInt("daily_cap"),
        rs.getInt("min_gap_seconds"),
        rs.getString("status"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
