package dev.outbound.crm.sequence;

import dev.outbound.vocabulary.schedule.SendWindow;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads what one send needs (enrolment, lead, campaign, step, mailbox) and assigns the mailbox. */
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
   * The context of step {@code stepIndex} for the enrolment, or empty when the enrolment, its
   * campaign or the step does not exist for this client.
   */
  public Optional<SendContext> load(
      long clientId, long campaignId, long enrolmentId, int stepIndex) {
    Optional<Row> row =
        jdbc.sql(
                "select e.status as enrolment_status, e.mailbox_id, e.lead_id,"
                    + " c.status as campaign_status, s.subject, s.body,"
                    + " (select f.subject from sequence_steps f"
                    + "   where f.client_id = e.client_id and f.campaign_id = e.campaign_id"
                    + "   and f.step_index = 1) as first_subject,"
                    + " c.timezone as campaign_timezone, c.window_days, c.window_start,"
                    + " c.window_end, c.skip_holidays, c.domain_hourly_limit,"
                    + " l.email, l.first_name, l.last_name, l.company, l.timezone, l.country"
                    + " from enrolments e"
                    + " join campaigns c on c.client_id = e.client_id and c.id = e.campaign_id"
                    + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
                    + " join sequence_steps s on s.client_id = e.client_id"
                    + "   and s.campaign_id = e.campaign_id and s.step_index = :step"
                    + " where e.client_id = :client and e.campaign_id = :campaign and e.id = :lead")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .param("step", stepIndex)
            .query(
                (rs, n) ->
                    new Row(
                        rs.getString("enrolment_status"),
                        rs.getObject("mailbox_id", Long.class),
                        rs.getLong("lead_id"),
                        rs.getString("campaign_status"),
                        rs.getString("subject"),
                        rs.getString("body"),
                        rs.getString("first_subject"),
                        rs.getString("email"),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getString("company"),
                        rs.getString("timezone"),
                        rs.getString("country"),
                        rs.getString("campaign_timezone"),
                        rs.getString("window_days"),
                        rs.getObject("window_start", java.time.LocalTime.class),
                        rs.getObject("window_end", java.time.LocalTime.class),
                        rs.getBoolean("skip_holidays"),
                        rs.getObject("domain_hourly_limit", Integer.class)))
            .optional();
    return row.map(
        r -> {
          List<Content> stepOptions = variants(clientId, campaignId, stepIndex, r.subject, r.body);
          Content chosen = choose(stepOptions, enrolmentId);
          String firstSubject = r.firstSubject;
          if (stepIndex > 1 && firstSubject != null) {
            // A follow-up answers the subject this lead actually got for step 1.
            firstSubject =
                choose(variants(clientId, campaignId, 1, firstSubject, ""), enrolmentId).subject();
          }
          return new SendContext(
              clientId,
              campaignId,
              enrolmentId,
              r.enrolmentStatus,
              r.mailboxId,
              r.campaignStatus,
              stepIndex,
              chosen.subject(),
              chosen.body(),
              firstSubject,
              new SendContext.Lead(
                  r.email,
                  r.firstName,
                  r.lastName,
                  r.company,
                  r.timezone,
                  fields(clientId, r.leadId)),
              new SendContext.Delivery(
                  r.windowDays == null
                      ? null
                      : SendWindow.of(r.windowDays, r.windowStart, r.windowEnd, r.skipHolidays),
                  zoneOf(r.timezone, r.campaignTimezone),
                  r.country,
                  r.domainHourlyLimit),
              stepOptions.size() > 1 ? chosen.variant() : null);
        });
  }

  /** One variant of a step's content. */
  private record Content(String variant, String subject, String body) {}

  /**
   * The step's content options in letter order: the step's own subject and body as variant A, then
   * its extra variants (B, C, ...).
   */
  private List<Content> variants(
      long clientId, long campaignId, int stepIndex, String subject, String body) {
    List<Content> options = new ArrayList<>();
    options.add(new Content("A", subject, body));
    options.addAll(
        jdbc.sql(
                "select variant, subject, body from step_variants"
                    + " where client_id = :client and campaign_id = :campaign and step_index = :step"
                    + " and variant <> 'A' order by variant")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("step", stepIndex)
            .query(
                (rs, n) ->
                    new Content(
                        rs.getString("variant"), rs.getString("subject"), rs.getString("body")))
            .list());
    return options;
  }

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

  /** The lead's custom fields as text; nested JSON values come out as their JSON text. */
  private Map<String, String> fields(long clientId, long leadId) {
    Map<String, String> fields = new LinkedHashMap<>();
    jdbc.sql(
            "select f.key, f.value from leads l, jsonb_each_text(l.fields) f"
                + " where l.client_id = :client and l.id = :id and f.value is not null"
                + " order by f.key")
        .param("client", clientId)
        .param("id", leadId)
        .query((RowCallbackHandler) rs -> fields.put(rs.getString("key"), rs.getString("value")));
    return fields;
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

  /**
   * The client's postal address for the footer of its emails, or empty when none is set (or the
   * client does not exist).
   */
  public Optional<String> postalAddress(long clientId) {
    return jdbc.sql("select postal_address from clients where id = :client")
        .param("client", clientId)
        .query((rs, n) -> Optional.ofNullable(rs.getString("postal_address")))
        .optional()
        .flatMap(address -> address)
        .filter(address -> !address.isBlank());
  }

  /** The client's mailbox {@code mailboxId}, or empty when it is not this client's. */
  public Optional<MailboxSettings> mailbox(long clientId, long mailboxId) {
    return jdbc.sql(
            "select id, email, display_name, smtp_host, smtp_port, smtp_username,"
                + " smtp_password_enc, smtp_tls, status"
                + " from mailboxes where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", mailboxId)
        .query(
            (rs, n) ->
                new MailboxSettings(
                    rs.getLong("id"),
                    rs.getString("email"),
                    rs.getString("display_name"),
                    rs.getString("smtp_host"),
                    rs.getInt("smtp_port"),
                    rs.getString("smtp_username"),
                    rs.getString("smtp_password_enc"),
                    rs.getBoolean("smtp_tls"),
                    rs.getString("status")))
        .optional();
  }

  private record Row(
      String enrolmentStatus,
      Long mailboxId,
      long leadId,
      String campaignStatus,
      String subject,
      String body,
      String firstSubject,
      String email,
      String firstName,
      String lastName,
      String company,
      String timezone,
      String country,
      String campaignTimezone,
      String windowDays,
      java.time.LocalTime windowStart,
      java.time.LocalTime windowEnd,
      boolean skipHolidays,
      Integer domainHourlyLimit) {

    @Override
    public String toString() {
      return "Row[personal data omitted]";
    }
  }
}
