package dev.outbound.crm.inbound;

import dev.outbound.crm.oauth.OAuthLogin;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.vocabulary.status.LeadStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The database side of inbox watching. The caller (the inbox activity) runs one transaction per
 * message: {@link #record} (which refuses a message seen before), the decision's own writes, and
 * {@link #saveCursor}, so a crash repeats at most the message in hand and the repeat is dropped.
 */
@Repository
public class InboundStore {

  /** How many of a mailbox's latest sends its bounce rate is computed over. */
  public static final int BOUNCE_RATE_WINDOW = 100;

  /**
   * A mailbox's IMAP login as stored. {@code passwordEnc} is encrypted ({@code CredentialCipher});
   * the caller decrypts it right before connecting.
   */
  public record Inbox(
      long clientId,
      long mailboxId,
      String email,
      String host,
      int port,
      String username,
      String passwordEnc,
      boolean tls,
      String status,
      OAuthLogin oauth,
      boolean allowPlaintext,
      boolean filesSentCopies) {

    /** A mailbox that logs in with a password, never opted out of TLS, files no Sent copies. */
    public Inbox(
        long clientId,
        long mailboxId,
        String email,
        String host,
        int port,
        String username,
        String passwordEnc,
        boolean tls,
        String status) {
      this(
          clientId,
          mailboxId,
          email,
          host,
          port,
          username,
          passwordEnc,
          tls,
          status,
          null,
          false,
          false);
    }

    @Override
    public String toString() {
      return "Inbox[client " + clientId + ", mailbox " + mailboxId + ", " + host + ":" + port + "]";
    }
  }

  /** Where a mailbox's reading stands; see {@code InboxCursor}. */
  public record Cursor(long uidValidity, long lastUid) {}

  /** A mailbox to watch. */
  public record Watched(long clientId, long mailboxId) {}

  /**
   * The send a message answers.
   *
   * @param step the step of the matched send; for a match by sender, the lead's latest sent step (0
   *     when nothing was sent yet)
   */
  public record Match(
      long enrolmentId,
      long campaignId,
      int step,
      long leadId,
      String email,
      String status,
      String zone) {

    public boolean ended() {
      return LeadStatus.parse(status).map(LeadStatus::isTerminal).orElse(true);
    }
  }

  /**
   * One message read, as recorded.
   *
   * @param kind {@code REPLY}, {@code OUT_OF_OFFICE}, {@code AUTO_REPLY}, {@code HARD_BOUNCE},
   *     {@code SOFT_BOUNCE}, {@code UNSUBSCRIBE} or {@code UNKNOWN}
   * @param matchedBy {@code MESSAGE_ID}, {@code SENDER}, {@code TOKEN} or null
   * @param action what was done, for operators; no message content
   */
  public record Received(
      long clientId,
      long mailboxId,
      long uidValidity,
      long uid,
      String messageId,
      Instant receivedAt,
      String kind,
      Long enrolmentId,
      Integer step,
      String matchedBy,
      String action) {}

  /** A mailbox's bounce statistics over its latest {@link #BOUNCE_RATE_WINDOW} sends. */
  public record BounceRate(int sends, int bounced) {

    /** The share of bounced sends, 0 when nothing was sent. */
    public double rate() {
      return sends == 0 ? 0 : (double) bounced / sends;
    }
  }

  /** The enrolment's latest step sent (or ambiguous), 0 for none; for queries on enrolments e. */
  private static final String LAST_SENT_STEP =
      "coalesce((select max(s.step_index) from send_ledger s where s.client_id = e.client_id"
          + " and s.enrolment_id = e.id and s.status in ('SENT', 'AMBIGUOUS')), 0) as step_index";

  /** The lead's zone, else its campaign's; for queries joining enrolments e and leads l. */
  private static final String ZONE =
      "coalesce(l.timezone, (select c.timezone from campaigns c where c.client_id = e.client_id"
          + " and c.id = e.campaign_id)) as zone";

  private final JdbcClient jdbc;

  public InboundStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Every mailbox with an IMAP host, whatever its status: a paused mailbox still gets replies. */
  public List<Watched> watched() {
    return jdbc.sql(
            "select client_id, id from mailboxes where imap_host is not null order by client_id, id")
        .query((rs, n) -> new Watched(rs.getLong("client_id"), rs.getLong("id")))
        .list();
  }

  /** The client's mailbox's IMAP login; empty when the mailbox is gone or has no IMAP host. */
  public Optional<Inbox> inbox(long clientId, long mailboxId) {
    return jdbc.sql(
            "select client_id, id, email, imap_host, imap_port, imap_username, imap_password_enc,"
                + " imap_tls, status, allow_plaintext, files_sent_copies, "
                + OAuthLogin.columns("")
                + " from mailboxes"
                + " where client_id = :client and id = :id and imap_host is not null")
        .param("client", clientId)
        .param("id", mailboxId)
        .query(
            (rs, n) ->
                new Inbox(
                    rs.getLong("client_id"),
                    rs.getLong("id"),
                    rs.getString("email"),
                    rs.getString("imap_host"),
                    rs.getInt("imap_port"),
                    rs.getString("imap_username"),
                    rs.getString("imap_password_enc"),
                    rs.getBoolean("imap_tls"),
                    rs.getString("status"),
                    OAuthLogin.of(
                        rs,
                        rs.getLong("client_id"),
                        rs.getLong("id"),
                        rs.getString("email"),
                        rs.getString("imap_username")),
                    rs.getBoolean("allow_plaintext"),
                    rs.getBoolean("files_sent_copies")))
        .optional();
  }

  /** Where the mailbox's reading stands; empty before its first poll. */
  public Optional<Cursor> cursor(long clientId, long mailboxId) {
    return jdbc.sql(
            "select uid_validity, last_uid from inbox_cursors"
                + " where client_id = :client and mailbox_id = :mailbox")
        .param("client", clientId)
        .param("mailbox", mailboxId)
        .query((rs, n) -> new Cursor(rs.getLong("uid_validity"), rs.getLong("last_uid")))
        .optional();
  }

  /** Stores where the reading stands; call in the transaction that recorded what it covers. */
  public void saveCursor(long clientId, long mailboxId, Cursor cursor) {
    jdbc.sql(
            "insert into inbox_cursors (mailbox_id, client_id, uid_validity, last_uid)"
                + " values (:mailbox, :client, :validity, :uid)"
                + " on conflict (mailbox_id) do update set uid_validity = excluded.uid_validity,"
                + " last_uid = excluded.last_uid, updated_at = now()"
                + " where inbox_cursors.client_id = excluded.client_id")
        .param("client", clientId)
        .param("mailbox", mailboxId)
        .param("validity", cursor.uidValidity())
        .param("uid", cursor.lastUid())
        .update();
  }

  /**
   * Whether this message was processed already: the same UID in the same UIDVALIDITY, or the same
   * Message-ID in this mailbox (after the server reassigned UIDs).
   */
  public boolean seen(long mailboxId, long uidValidity, long uid, String messageId) {
    return jdbc.sql(
            "select exists (select 1 from inbound_messages where mailbox_id = :mailbox and"
                + " ((uid_validity = :validity and uid = :uid)"
                + " or (cast(:messageId as text) is not null and message_id = :messageId)))")
        .param("mailbox", mailboxId)
        .param("validity", uidValidity)
        .param("uid", uid)
        .param("messageId", messageId)
        .query(Boolean.class)
        .single();
  }

  /**
   * Records a message read. Returns {@code false}, writing nothing, when it was recorded before:
   * the caller then undoes nothing and acts on nothing (its transaction's other writes must be made
   * only after this answered {@code true}).
   */
  public boolean record(Received message) {
    return jdbc.sql(
                "insert into inbound_messages (client_id, mailbox_id, uid_validity, uid,"
                    + " message_id, received_at, kind, enrolment_id, step_index, matched_by,"
                    + " action) values (:client, :mailbox, :validity, :uid, :messageId,"
                    + " :receivedAt, :kind, :enrolment, :step, :matchedBy, :action)"
                    + " on conflict do nothing")
            .param("client", message.clientId())
            .param("mailbox", message.mailboxId())
            .param("validity", message.uidValidity())
            .param("uid", message.uid())
            .param("messageId", message.messageId())
            .param("receivedAt", ts(message.receivedAt()))
            .param("kind", message.kind())
            .param("enrolment", message.enrolmentId())
            .param("step", message.step())
            .param("matchedBy", message.matchedBy())
            .param("action", message.action())
            .update()
        == 1;
  }

  /**
   * The client's send whose Message-ID is the first of {@code candidates} (most likely first) found
   * in the send ledger. Another client's Message-IDs never match.
   */
  public Optional<Match> byMessageId(long clientId, List<String> candidates) {
    for (String candidate : candidates) {
      Optional<Match> match =
          jdbc.sql(
                  "select e.id, e.campaign_id, s.step_index, e.lead_id, l.email, e.status, "
                      + ZONE
                      + " from send_ledger s"
                      + " join enrolments e on e.client_id = s.client_id and e.id = s.enrolment_id"
                      + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
                      + " where s.client_id = :client and s.message_id = :messageId")
              .param("client", clientId)
              .param("messageId", candidate)
              .query(InboundStore::match)
              .optional();
      if (match.isPresent()) {
        return match;
      }
    }
    return Optional.empty();
  }

  /**
   * The fallback match: the client's enrolment of the person with address {@code email} that this
   * mailbox mailed most recently, preferring one whose sequence still runs. Empty when no lead of
   * the client has this address or none was mailed from this mailbox.
   */
  public Optional<Match> bySender(long clientId, long mailboxId, String email) {
    if (email == null || email.isBlank()) {
      return Optional.empty();
    }
    return jdbc.sql(
            "select e.id, e.campaign_id, "
                + LAST_SENT_STEP
                + ", e.lead_id, l.email, e.status, "
                + ZONE
                + " from enrolments e"
                + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
                + " where e.client_id = :client and lower(l.email) = lower(:email)"
                + " and e.mailbox_id = :mailbox"
                + " order by (e.status in "
                + EnrolmentStore.NON_TERMINAL_SQL
                + ") desc,"
                + " e.updated_at desc, e.id desc limit 1")
        .param("client", clientId)
        .param("mailbox", mailboxId)
        .param("email", email)
        .query(InboundStore::match)
        .optional();
  }

  /** The enrolment {@code enrolmentId} of the client, as a match (for a mailto unsubscribe). */
  public Optional<Match> enrolment(long clientId, long enrolmentId) {
    return jdbc.sql(
            "select e.id, e.campaign_id, "
                + LAST_SENT_STEP
                + ", e.lead_id, l.email, e.status, "
                + ZONE
                + " from enrolments e"
                + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
                + " where e.client_id = :client and e.id = :id")
        .param("client", clientId)
        .param("id", enrolmentId)
        .query(InboundStore::match)
        .optional();
  }

  /** Marks the send of {@code step} to the enrolment as bounced (the first bounce counts). */
  public void markBounced(long clientId, long enrolmentId, int step, String type) {
    jdbc.sql(
            "update send_ledger set bounced_at = now(), bounce_type = :type"
                + " where client_id = :client and enrolment_id = :enrolment and step_index = :step"
                + " and bounced_at is null")
        .param("client", clientId)
        .param("enrolment", enrolmentId)
        .param("step", step)
        .param("type", type)
        .update();
  }

  /** How many soft bounces were read for the enrolment (counting the one just recorded). */
  public int softBounces(long clientId, long enrolmentId) {
    return jdbc.sql(
            "select count(*) from inbound_messages where client_id = :client"
                + " and enrolment_id = :enrolment and kind = 'SOFT_BOUNCE'")
        .param("client", clientId)
        .param("enrolment", enrolmentId)
        .query(Integer.class)
        .single();
  }

  /**
   * The mailbox's hard-bounced sends among its latest {@link #BOUNCE_RATE_WINDOW} sent ones (a soft
   * bounce, a full mailbox or a delay, says nothing about the sender's list quality).
   */
  public BounceRate bounceRate(long clientId, long mailboxId) {
    return jdbc.sql(
            "select count(*) as sends, count(*) filter (where bounce_type = 'HARD') as bounced"
                + " from (select bounce_type from send_ledger where client_id = :client"
                + " and mailbox_id = :mailbox and status = 'SENT'"
                + " order by sent_at desc limit :window) latest")
        .param("client", clientId)
        .param("mailbox", mailboxId)
        .param("window", BOUNCE_RATE_WINDOW)
        .query((rs, n) -> new BounceRate(rs.getInt("sends"), rs.getInt("bounced")))
        .single();
  }

  /**
   * The campaign's other enrolments whose sequence still runs and whose address has the domain
   * {@code domain} (lower case), for "stop the whole company on a reply".
   */
  public List<Match> colleagues(
      long clientId, long campaignId, long exceptEnrolment, String domain) {
    return jdbc.sql(
            "select e.id, e.campaign_id, e.current_step as step_index, e.lead_id, l.email, e.status, "
                + ZONE
                + " from enrolments e"
                + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
                + " where e.client_id = :client and e.campaign_id = :campaign and e.id <> :except"
                + " and e.status in "
                + EnrolmentStore.NON_TERMINAL_SQL
                + " and lower(split_part(l.email, '@', 2)) = :domain order by e.id")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("except", exceptEnrolment)
        .param("domain", domain)
        .query(InboundStore::match)
        .list();
  }

  /** Whether the campaign stops a reply's colleagues at the same company domain. */
  public boolean stopsCompanyOnReply(long clientId, long campaignId) {
    return jdbc.sql(
            "select stop_company_on_reply from campaigns where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", campaignId)
        .query(Boolean.class)
        .optional()
        .orElse(false);
  }

  /**
   * Every enrolment of the client's person with address {@code email} whose sequence still runs,
   * for a hard bounce: the address does not work in any campaign.
   */
  public List<Match> runningEnrolmentsOf(long clientId, String email) {
    return jdbc.sql(
            "select e.id, e.campaign_id, e.current_step as step_index, e.lead_id, l.email, e.status, "
                + ZONE
                + " from enrolments e"
                + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
                + " where e.client_id = :client and lower(l.email) = lower(:email)"
                + " and e.status in "
                + EnrolmentStore.NON_TERMINAL_SQL
                + " order by e.id")
        .param("client", clientId)
        .param("email", email)
        .query(InboundStore::match)
        .list();
  }

  /** Every enrolment of the client's person with address {@code email}, whatever its status. */
  public List<Match> enrolmentsOf(long clientId, String email) {
    return jdbc.sql(
            "select e.id, e.campaign_id, e.current_step as step_index, e.lead_id, l.email, e.status, "
                + ZONE
                + " from enrolments e"
                + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
                + " where e.client_id = :client and lower(l.email) = lower(:email) order by e.id")
        .param("client", clientId)
        .param("email", email)
        .query(InboundStore::match)
        .list();
  }

  /** The kinds of the messages recorded for the client's enrolment, oldest first. */
  public List<String> kindsFor(long clientId, long enrolmentId) {
    return jdbc.sql(
            "select kind from inbound_messages where client_id = :client"
                + " and enrolment_id = :enrolment order by id")
        .param("client", clientId)
        .param("enrolment", enrolmentId)
        .query(String.class)
        .list();
  }

  private static Match match(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Match(
        rs.getLong("id"),
        rs.getLong("campaign_id"),
        rs.getInt("step_index"),
        rs.getLong("lead_id"),
        rs.getString("email"),
        rs.getString("status"),
        rs.getString("zone"));
  }

  private static java.sql.Timestamp ts(Instant instant) {
    return instant == null ? null : java.sql.Timestamp.from(instant);
  }
}
