package dev.outbound.crm.admin;

import dev.outbound.vocabulary.tokens.CredentialCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * A client's sending mailboxes with their pacing (daily cap, minimum gap, jitter, warm-up, the zone
 * of the cap's days). Passwords are encrypted with {@link CredentialCipher} before they reach the
 * database and are never read back here: the worker decrypts them where it connects.
 */
@Repository
public class MailboxStore {

  /** How to reach a mail server; {@code password} is plain text on the way in only. */
  public record Server(String host, int port, String username, String password, boolean tls) {}

  /**
   * A warm-up ramp: the cap of a day is {@code min(dailyCap, startCap + days since startedOn *
   * dailyIncrease)}.
   */
  public record Warmup(int startCap, int dailyIncrease, LocalDate startedOn) {

    public Warmup {
      if (startCap <= 0 || dailyIncrease < 0 || startedOn == null) {
        throw new IllegalArgumentException(
            "a warm-up needs a positive start cap, an increase of zero or more and a start day");
      }
    }
  }

  /**
   * A mailbox to create. {@code imap} may be {@code null} (the mailbox is then not read).
   *
   * @param jitterSeconds the most random seconds added to {@code minGapSeconds} before each send
   * @param timezone the IANA zone whose calendar days the daily cap counts in
   * @param warmup null for none: the full {@code dailyCap} from the first day
   */
  public record NewMailbox(
      String email,
      String displayName,
      Server smtp,
      Server imap,
      int dailyCap,
      int minGapSeconds,
      int jitterSeconds,
      String timezone,
      Warmup warmup) {

    /** A mailbox without jitter or warm-up whose days are UTC days. */
    public NewMailbox(
        String email,
        String displayName,
        Server smtp,
        Server imap,
        int dailyCap,
        int minGapSeconds) {
      this(email, displayName, smtp, imap, dailyCap, minGapSeconds, 0, "UTC", null);
    }
  }

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
      int jitterSeconds,
      String timezone,
      Warmup warmup,
      String status,
      Instant createdAt,
      String pausedReason) {}

  /** A lead held because its mailbox could not send. */
  public record HeldLead(long enrolmentId, long campaignId) {}

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
    Warmup warmup = mailbox.warmup();
    return jdbc.sql(
            "insert into mailboxes (client_id, email, display_name, smtp_host, smtp_port,"
                + " smtp_username, smtp_password_enc, smtp_tls, imap_host, imap_port,"
                + " imap_username, imap_password_enc, imap_tls, daily_cap, min_gap_seconds,"
                + " jitter_seconds, timezone, warmup_start_cap, warmup_daily_increase,"
                + " warmup_started_on) values (:client, :email, :displayName, :smtpHost,"
                + " :smtpPort, :smtpUser, :smtpPassword, :smtpTls, :imapHost, :imapPort,"
                + " :imapUser, :imapPassword, :imapTls, :dailyCap, :minGap, :jitter, :timezone,"
                + " :warmupStart, :warmupIncrease, :warmupStartedOn)"
                + " on conflict (client_id, email) do nothing returning id")
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
        .param("jitter", mailbox.jitterSeconds())
        .param("timezone", mailbox.timezone())
        .param("warmupStart", warmup == null ? null : warmup.startCap())
        .param("warmupIncrease", warmup == null ? null : warmup.dailyIncrease())
        .param("warmupStartedOn", warmup == null ? null : warmup.startedOn())
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
                + " daily_cap, min_gap_seconds, jitter_seconds, timezone, warmup_start_cap,"
                + " warmup_daily_increase, warmup_started_on, status, created_at, paused_reason"
                + " from mailboxes"
                + " where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", id)
        .query((rs, n) -> mailbox(rs))
        .optional();
  }

  /**
   * Pauses the client's mailbox: leads that would send from it are held, and no new lead is given
   * to it. Its inbox is still read (replies keep coming).
   *
   * @param reason why, for operators (a fixed phrase, no personal data)
   * @return whether it changed from active to paused (false when already paused or not found), so
   *     the caller alerts once
   */
  @Transactional
  public boolean pause(long clientId, long id, String reason) {
    return jdbc.sql(
                "update mailboxes set status = 'PAUSED', paused_reason = :reason,"
                    + " paused_at = now() where client_id = :client and id = :id"
                    + " and status = 'ACTIVE'")
            .param("client", clientId)
            .param("id", id)
            .param("reason", reason)
            .update()
        == 1;
  }

  /** Sets the client's mailbox active again; false when it was not paused (or not found). */
  @Transactional
  public boolean resume(long clientId, long id) {
    return jdbc.sql(
                "update mailboxes set status = 'ACTIVE', paused_reason = null, paused_at = null"
                    + " where client_id = :client and id = :id and status = 'PAUSED'")
            .param("client", clientId)
            .param("id", id)
            .update()
        == 1;
  }

  /**
   * Replaces the client's mailbox's SMTP and/or IMAP password (null leaves one as it is).
   *
   * @return false when the mailbox is not the client's
   */
  @Transactional
  public boolean changePasswords(long clientId, long id, String smtpPassword, String imapPassword) {
    return jdbc.sql(
                "update mailboxes set"
                    + " smtp_password_enc = coalesce(:smtp, smtp_password_enc),"
                    + " imap_password_enc = case when imap_host is null then imap_password_enc"
                    + " else coalesce(:imap, imap_password_enc) end"
                    + " where client_id = :client and id = :id")
            .param("client", clientId)
            .param("id", id)
            .param("smtp", smtpPassword == null ? null : cipher.encrypt(smtpPassword))
            .param("imap", imapPassword == null ? null : cipher.encrypt(imapPassword))
            .update()
        == 1;
  }

  /** The client's leads held on the mailbox (they resume once it can send again). */
  public List<HeldLead> heldLeads(long clientId, long id) {
    return jdbc.sql(
            "select id, campaign_id from enrolments where client_id = :client"
                + " and mailbox_id = :mailbox and status = 'HELD' order by id")
        .param("client", clientId)
        .param("mailbox", id)
        .query((rs, n) -> new HeldLead(rs.getLong("id"), rs.getLong("campaign_id")))
        .list();
  }

  /**
   * The client's active campaigns that have the mailbox in their pool and no active mailbox left in
   * it: nothing of theirs can go out until a mailbox is resumed.
   */
  public List<Long> campaignsLeftWithoutMailbox(long clientId, long id) {
    return jdbc.sql(
            "select c.id from campaigns c"
                + " join campaign_mailboxes cm on cm.client_id = c.client_id"
                + " and cm.campaign_id = c.id and cm.mailbox_id = :mailbox"
                + " where c.client_id = :client and c.status = 'ACTIVE'"
                + " and not exists (select 1 from campaign_mailboxes o"
                + " join mailboxes m on m.client_id = o.client_id and m.id = o.mailbox_id"
                + " where o.client_id = c.client_id and o.campaign_id = c.id"
                + " and m.status = 'ACTIVE') order by c.id")
        .param("client", clientId)
        .param("mailbox", id)
        .query(Long.class)
        .list();
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
    Integer warmupStart = rs.getObject("warmup_start_cap", Integer.class);
    // The schema sets the three warm-up columns together or not at all.
    Warmup warmup =
        warmupStart == null
            ? null
            : new Warmup(
                warmupStart,
                rs.getInt("warmup_daily_increase"),
                rs.getObject("warmup_started_on", LocalDate.class));
    return new Mailbox(
        rs.getLong("id"),
        rs.getString("email"),
        rs.getString("display_name"),
        smtp,
        imap,
        rs.getInt("daily_cap"),
        rs.getInt("min_gap_seconds"),
        rs.getInt("jitter_seconds"),
        rs.getString("timezone"),
        warmup,
        rs.getString("status"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getString("paused_reason"));
  }
}
