package dev.outbound.crm.sequence;

import dev.outbound.crm.oauth.OAuthLogin;
import dev.outbound.vocabulary.schedule.SendWindow;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads what one send needs (enrolment, lead, campaign, step, client, mailbox) in one statement,
 * and assigns the mailbox on a lead's first send.
 */
@Repository
public class SendContextStore {

  /**
   * Counts the client's unfinished enrolments on the pool's mailbox {@code cm.mailbox_id}. Its
   * {@code status in} predicate is the one of the partial index {@code enrolments_open_by_mailbox}
   * (V2), so this is an index-only count per mailbox rather than a scan of the client's enrolments.
   */
  static final String OPEN_ENROLMENTS_OF_MAILBOX =
      "select count(*) from enrolments x where x.client_id = :client"
          + " and x.mailbox_id = cm.mailbox_id and x.status in "
          + EnrolmentStore.NON_TERMINAL_SQL;

  private final JdbcClient jdbc;

  public SendContextStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Everything of one step but the ledger, in one statement: the enrolment, the campaign, the step
   * with its variants and step 1's subjects (for a follow-up's "Re:"), the lead with its custom
   * fields, the client's settings and the lead's mailbox. The variants and the fields come as
   * arrays from lateral aggregates, so that the statement returns one row whatever their number.
   */
  private static final String LOAD =
      "select e.status as enrolment_status, e.mailbox_id,"
          + " c.status as campaign_status, s.subject, s.body, f.subject as first_subject,"
          + " c.timezone as campaign_timezone, c.window_days, c.window_start,"
          + " c.window_end, c.skip_holidays, c.domain_hourly_limit,"
          + " l.email, l.first_name, l.last_name, l.company, l.timezone, l.country,"
          + " lf.field_keys, lf.field_values,"
          + " sv.variants, sv.variant_subjects, sv.variant_bodies, fv.first_variant_subjects,"
          + " cl.postal_address, cl.max_sends_per_day,"
          + " m.id as m_id, m.email as m_email, m.display_name as m_display_name, m.smtp_host,"
          + " m.smtp_port, m.smtp_username, m.smtp_password_enc, m.smtp_tls, m.status as m_status,"
          + " m.client_id as m_client_id, m.allow_plaintext, "
          + OAuthLogin.columns("m.")
          + " from enrolments e"
          + " join campaigns c on c.client_id = e.client_id and c.id = e.campaign_id"
          + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
          + " join sequence_steps s on s.client_id = e.client_id"
          + "   and s.campaign_id = e.campaign_id and s.step_index = :step"
          + " join clients cl on cl.id = e.client_id"
          + " left join sequence_steps f on f.client_id = e.client_id"
          + "   and f.campaign_id = e.campaign_id and f.step_index = 1"
          + " left join mailboxes m on m.client_id = e.client_id and m.id = e.mailbox_id"
          + " cross join lateral (select array_agg(x.key order by x.key) as field_keys,"
          + "   array_agg(x.value order by x.key) as field_values"
          + "   from jsonb_each_text(l.fields) x where x.value is not null) lf"
          + " cross join lateral (select array_agg(v.variant order by v.variant) as variants,"
          + "   array_agg(v.subject order by v.variant) as variant_subjects,"
          + "   array_agg(v.body order by v.variant) as variant_bodies"
          + "   from step_variants v where v.client_id = e.client_id"
          + "   and v.campaign_id = e.campaign_id and v.step_index = :step and v.variant <> 'A') sv"
          + " cross join lateral (select"
          + "   array_agg(v.subject order by v.variant) as first_variant_subjects"
          + "   from step_variants v where :step > 1 and v.client_id = e.client_id"
          + "   and v.campaign_id = e.campaign_id and v.step_index = 1 and v.variant <> 'A') fv"
          + " where e.client_id = :client and e.campaign_id = :campaign and e.id = :lead";

  /**
   * The context of step {@code stepIndex} for the enrolment, or empty when the enrolment, its
   * campaign or the step does not exist for this client.
   */
  public Optional<SendContext> load(
      long clientId, long campaignId, long enrolmentId, int stepIndex) {
    return jdbc.sql(LOAD)
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .param("step", stepIndex)
        .query((rs, n) -> context(rs, clientId, campaignId, enrolmentId, stepIndex))
        .optional();
  }

  private static SendContext context(
      ResultSet rs, long clientId, long campaignId, long enrolmentId, int stepIndex)
      throws SQLException {
    List<Content> stepOptions = new ArrayList<>();
    stepOptions.add(new Content("A", rs.getString("subject"), rs.getString("body")));
    List<String> names = texts(rs, "variants");
    List<String> subjects = texts(rs, "variant_subjects");
    List<String> bodies = texts(rs, "variant_bodies");
    for (int i = 0; i < names.size(); i++) {
      stepOptions.add(new Content(names.get(i), subjects.get(i), bodies.get(i)));
    }
    Content chosen = choose(stepOptions, enrolmentId);
    String firstSubject = rs.getString("first_subject");
    if (stepIndex > 1 && firstSubject != null) {
      // A follow-up answers the subject this lead actually got for step 1.
      List<Content> firstOptions = new ArrayList<>();
      firstOptions.add(new Content("A", firstSubject, ""));
      for (String subject : texts(rs, "first_variant_subjects")) {
        firstOptions.add(new Content(null, subject, ""));
      }
      firstSubject = choose(firstOptions, enrolmentId).subject();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> keys = texts(rs, "field_keys");
    List<String> values = texts(rs, "field_values");
    for (int i = 0; i < keys.size(); i++) {
      fields.put(keys.get(i), values.get(i));
    }
    String windowDays = rs.getString("window_days");
    String leadZone = rs.getString("timezone");
    String postalAddress = rs.getString("postal_address");
    return new SendContext(
        clientId,
        campaignId,
        enrolmentId,
        rs.getString("enrolment_status"),
        rs.getObject("mailbox_id", Long.class),
        rs.getString("campaign_status"),
        stepIndex,
        chosen.subject(),
        chosen.body(),
        firstSubject,
        new SendContext.Lead(
            rs.getString("email"),
            rs.getString("first_name"),
            rs.getString("last_name"),
            rs.getString("company"),
            leadZone,
            fields),
        new SendContext.Delivery(
            windowDays == null
                ? null
                : SendWindow.of(
                    windowDays,
                    rs.getObject("window_start", LocalTime.class),
                    rs.getObject("window_end", LocalTime.class),
                    rs.getBoolean("skip_holidays")),
            zoneOf(leadZone, rs.getString("campaign_timezone")),
            rs.getString("country"),
            rs.getObject("domain_hourly_limit", Integer.class)),
        stepOptions.size() > 1 ? chosen.variant() : null,
        rs.getObject("m_id") == null
            ? null
            : mailboxSettings(rs, "m_id", "m_email", "m_display_name", "m_status"),
        new SendContext.Client(
            postalAddress == null || postalAddress.isBlank() ? null : postalAddress,
            rs.getObject("max_sends_per_day", Integer.class)));
  }

  /** A text array column as a list, empty when it is null (an aggregate over no rows). */
  private static List<String> texts(ResultSet rs, String column) throws SQLException {
    Array array = rs.getArray(column);
    return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
  }

  /** One variant of a step's content. */
  private record Content(String variant, String subject, String body) {}

  /**
   * The lead's variant: deterministic per lead (the same on every retry and replay), and spread
   * evenly over consecutive leads.
   */
  private static Content choose(List<Content> options, long enrolmentId) {
    return options.get((int) Math.floorMod(enrolmentId, (long) options.size()));
  }

  /** The lead's zone when it has a valid one, else the campaign's, else UTC. */
  private static ZoneId zoneOf(String leadZone, String campaignZone) {
    for (String candidate : new String[] {leadZone, campaignZone}) {
      if (candidate != null && !candidate.isBlank()) {
        try {
          return ZoneId.of(candidate);
        } catch (java.time.DateTimeException e) {
          // Validated on the way in; an old or odd value falls back to the next candidate.
        }
      }
    }
    return ZoneOffset.UTC;
  }

  /**
   * The enrolment's mailbox, assigning one on first use: the campaign pool's mailbox with the
   * fewest unfinished enrolments of this client (active mailboxes first, lowest ID on a tie). Once
   * set it is sticky, so follow-ups come from the same mailbox and thread. Empty when the enrolment
   * does not exist or the campaign has no mailbox in its pool.
   */
  public Optional<Long> assignMailbox(long clientId, long campaignId, long enrolmentId) {
    // The update only fills an empty mailbox_id, so two racing first sends cannot both assign: the
    // second finds it set and the re-read below returns the first one's choice.
    jdbc.sql(
            "update enrolments e set updated_at = now(), mailbox_id = ("
                + " select cm.mailbox_id from campaign_mailboxes cm"
                + " join mailboxes m on m.client_id = cm.client_id and m.id = cm.mailbox_id"
                + " where cm.client_id = :client and cm.campaign_id = :campaign"
                + " order by (m.status <> 'ACTIVE'), ("
                + OPEN_ENROLMENTS_OF_MAILBOX
                + "), cm.mailbox_id"
                + " limit 1)"
                + " where e.client_id = :client and e.campaign_id = :campaign and e.id = :lead"
                + " and e.mailbox_id is null")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .update();
    return mailboxOf(clientId, campaignId, enrolmentId);
  }

  /**
   * Assigns {@code mailboxId} (chosen by the caller, e.g. the pool mailbox with the most spare
   * capacity) to the enrolment unless it already has one, and returns the enrolment's mailbox: a
   * racing first send that assigned first wins, so the mailbox stays sticky.
   */
  public Optional<Long> assignMailbox(
      long clientId, long campaignId, long enrolmentId, long mailboxId) {
    jdbc.sql(
            "update enrolments e set updated_at = now(), mailbox_id = cm.mailbox_id"
                + " from campaign_mailboxes cm"
                + " where cm.client_id = :client and cm.campaign_id = :campaign"
                + " and cm.mailbox_id = :mailbox"
                + " and e.client_id = :client and e.campaign_id = :campaign and e.id = :lead"
                + " and e.mailbox_id is null")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .param("mailbox", mailboxId)
        .update();
    return mailboxOf(clientId, campaignId, enrolmentId);
  }

  /** The enrolment's mailbox, or empty when it has none (or does not exist for this client). */
  private Optional<Long> mailboxOf(long clientId, long campaignId, long enrolmentId) {
    return jdbc.sql(
            "select mailbox_id from enrolments"
                + " where client_id = :client and campaign_id = :campaign and id = :lead")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .query((rs, n) -> Optional.ofNullable(rs.getObject("mailbox_id", Long.class)))
        .optional()
        .flatMap(id -> id);
  }

  /** The client's mailbox {@code mailboxId}, or empty when it is not this client's. */
  public Optional<MailboxSettings> mailbox(long clientId, long mailboxId) {
    return jdbc.sql(
            "select id, email, display_name, smtp_host, smtp_port, smtp_username,"
                + " smtp_password_enc, smtp_tls, status, client_id as m_client_id,"
                + " allow_plaintext, "
                + OAuthLogin.columns("")
                + " from mailboxes where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", mailboxId)
        .query((rs, n) -> mailboxSettings(rs, "id", "email", "display_name", "status"))
        .optional();
  }

  /** A mailbox's settings from a row; the columns other tables share are named by the caller. */
  private static MailboxSettings mailboxSettings(
      ResultSet rs, String id, String email, String displayName, String status)
      throws SQLException {
    return new MailboxSettings(
        rs.getLong(id),
        rs.getString(email),
        rs.getString(displayName),
        rs.getString("smtp_host"),
        rs.getInt("smtp_port"),
        rs.getString("smtp_username"),
        rs.getString("smtp_password_enc"),
        rs.getBoolean("smtp_tls"),
        rs.getString(status),
        OAuthLogin.of(
            rs,
            rs.getLong("m_client_id"),
            rs.getLong(id),
            rs.getString(email),
            rs.getString("smtp_username")),
        rs.getBoolean("allow_plaintext"));
  }
}
