package dev.outbound.crm.admin;

import dev.outbound.crm.TimelineStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Leads as the API sees them: a person ({@code leads}, one per client and lower-cased address)
 * enrolled in one campaign ({@code enrolments}). The API's lead ID is the enrolment's ID.
 *
 * <p>Adding leads is set-based: the whole request travels to PostgreSQL as one JSON parameter and
 * is checked, upserted and enrolled in three statements, so 10,000 leads take well under a second
 * of database time instead of 20,000 round trips.
 */
@Repository
public class LeadStore {

  /** Statuses after which a lead's sequence never runs again. */
  public static final Set<String> TERMINAL =
      Set.of(
          "COMPLETED", "REPLIED", "BOUNCED", "UNSUBSCRIBED", "MEETING_BOOKED", "STOPPED", "FAILED");

  /**
   * A lead to add. {@code fields} are extra template variables; all but {@code email} may be null.
   */
  public record NewLead(
      String email,
      String firstName,
      String lastName,
      String company,
      String timezone,
      Map<String, String> fields) {}

  /** A lead of the request that was not added, by its position in the request. */
  public record Rejection(int index, String reason) {}

  /**
   * What adding leads did.
   *
   * @param accepted how many leads were enrolled
   * @param rejected the leads that were not, with the reason
   * @param campaignStatus the campaign's status while the leads were added
   */
  public record AddResult(int accepted, List<Rejection> rejected, CampaignStatus campaignStatus) {}

  /** A lead as listed. */
  public record LeadRow(
      long id,
      String email,
      String firstName,
      String lastName,
      String company,
      String status,
      int currentStep,
      Instant nextSendAt) {}

  /** One lead in full; {@code fieldsJson} is the JSON object of its extra fields. */
  public record LeadDetail(
      long id,
      long campaignId,
      String email,
      String firstName,
      String lastName,
      String company,
      String timezone,
      String fieldsJson,
      String status,
      int currentStep,
      Instant nextSendAt,
      String lastOutcome,
      Instant createdAt,
      Instant startedAt) {}

  /**
   * Where a lead stands, for callers that signal its workflow.
   *
   * @param started whether its lead sequence workflow was started
   */
  public record LeadState(long campaignId, String status, boolean started) {

    public boolean terminal() {
      return TERMINAL.contains(status);
    }
  }

  /** What an operator event did; {@code state} is {@code null} when the lead was not found. */
  public record EventResult(ChangeOutcome outcome, LeadState state) {}

  private final JdbcClient jdbc;
  private final TimelineStore timeline;

  public LeadStore(JdbcClient jdbc, TimelineStore timeline) {
    this.jdbc = jdbc;
    this.timeline = timeline;
  }

  /**
   * Adds leads to the client's campaign. A person is created, or updated with the non-null values
   * given, by address (case-insensitive); then enrolled. A lead is rejected, and its person left as
   * it was, when the same address came earlier in the request or is already in the campaign.
   *
   * @return empty when the campaign is not the client's
   * @throws CampaignStateException when the campaign is stopped; nothing is written then
   */
  @Transactional
  public Optional<AddResult> add(long clientId, long campaignId, List<NewLead> leads) {
    Optional<CampaignStatus> status =
        jdbc.sql(
                // FOR SHARE keeps a concurrent stop from committing between this check and the
                // enrolment, so no lead lands in a campaign that is already stopped.
                "select status from campaigns where client_id = :client and id = :id for share")
            .param("client", clientId)
            .param("id", campaignId)
            .query((rs, n) -> CampaignStatus.valueOf(rs.getString(1)))
            .optional();
    if (status.isEmpty()) {
      return Optional.empty();
    }
    if (status.get() == CampaignStatus.STOPPED) {
      throw new CampaignStateException(
          CampaignStatus.STOPPED, "leads cannot be added to a stopped campaign");
    }
    if (leads.isEmpty()) {
      return Optional.of(new AddResult(0, List.of(), status.get()));
    }

    List<Rejection> rejected = new ArrayList<>();
    Set<Integer> keep = new HashSet<>();
    jdbc.sql(
            "select r.idx, min(r.idx) over (partition by lower(r.email)) as first_idx,"
                + " e.id as enrolment_id"
                + " from jsonb_to_recordset(cast(:rows as jsonb)) as r(idx int, email text)"
                + " left join leads l on l.client_id = :client and lower(l.email) = lower(r.email)"
                + " left join enrolments e on e.client_id = :client and e.campaign_id = :campaign"
                + "   and e.lead_id = l.id"
                + " order by r.idx")
        .param("rows", emailRows(leads))
        .param("client", clientId)
        .param("campaign", campaignId)
        .query(
            (ResultSet rs) -> {
              int idx = rs.getInt("idx");
              int first = rs.getInt("first_idx");
              long enrolment = rs.getLong("enrolment_id");
              if (first != idx) {
                rejected.add(
                    new Rejection(
                        idx, "duplicate: the same email address is at index " + first + " too"));
              } else if (enrolment != 0) {
                rejected.add(
                    new Rejection(idx, "duplicate: already in this campaign as lead " + enrolment));
              } else {
                keep.add(idx);
              }
            });
    if (keep.isEmpty()) {
      return Optional.of(new AddResult(0, sorted(rejected), status.get()));
    }

    List<Integer> kept = new ArrayList<>(keep);
    kept.sort(null);
    jdbc.sql(
            "insert into leads (client_id, email, first_name, last_name, company, timezone, fields)"
                + " select :client, r.email, r.first_name, r.last_name, r.company, r.timezone,"
                + "   coalesce(r.fields, '{}'::jsonb)"
                + " from jsonb_to_recordset(cast(:rows as jsonb)) as r(idx int, email text,"
                + "   first_name text, last_name text, company text, timezone text, fields jsonb)"
                // A stable order makes concurrent requests lock shared people in the same order.
                + " order by lower(r.email)"
                + " on conflict (client_id, lower(email)) do update set"
                + "   first_name = coalesce(excluded.first_name, leads.first_name),"
                + "   last_name = coalesce(excluded.last_name, leads.last_name),"
                + "   company = coalesce(excluded.company, leads.company),"
                + "   timezone = coalesce(excluded.timezone, leads.timezone),"
                + "   fields = leads.fields || excluded.fields")
        .param("rows", fullRows(leads, kept))
        .param("client", clientId)
        .update();

    Set<Integer> enrolled = new HashSet<>();
    jdbc.sql(
            "with r as (select r.idx, l.id as lead_id"
                + "   from jsonb_to_recordset(cast(:rows as jsonb)) as r(idx int, email text)"
                + "   join leads l on l.client_id = :client and lower(l.email) = lower(r.email)),"
                + " ins as (insert into enrolments (client_id, campaign_id, lead_id)"
                + "   select :client, :campaign, lead_id from r order by lead_id"
                + "   on conflict (campaign_id, lead_id) do nothing returning id, lead_id),"
                + " ev as (insert into lead_events (client_id, enrolment_id, type, step, detail)"
                + "   select :client, id, 'ENROLLED', 0, 'added to the campaign' from ins)"
                + " select r.idx from r join ins on ins.lead_id = r.lead_id")
        .param("rows", emailRows(leads, kept))
        .param("client", clientId)
        .param("campaign", campaignId)
        .query(
            (ResultSet rs) -> {
              enrolled.add(rs.getInt(1));
            });
    for (int idx : kept) {
      if (!enrolled.contains(idx)) {
        // Another request enrolled the same person between the check and the insert.
        rejected.add(new Rejection(idx, "duplicate: already in this campaign"));
      }
    }
    return Optional.of(new AddResult(enrolled.size(), sorted(rejected), status.get()));
  }

  /**
   * One page of the campaign's leads, in the order they were added, optionally of one status. An
   * empty page for a campaign of another client (callers check the campaign first).
   */
  public Page<LeadRow> list(long clientId, long campaignId, String status, int page, int size) {
    String filter = status == null ? "" : " and e.status = :status";
    JdbcClient.StatementSpec items =
        jdbc.sql(
                "select e.id, l.email, l.first_name, l.last_name, l.company, e.status,"
                    + " e.current_step, e.next_send_at"
                    + " from enrolments e join leads l on l.client_id = e.client_id"
                    + "   and l.id = e.lead_id"
                    + " where e.client_id = :client and e.campaign_id = :campaign"
                    + filter
                    + " order by e.id limit :size offset :offset")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("size", size)
            .param("offset", (long) page * size);
    JdbcClient.StatementSpec count =
        jdbc.sql(
                "select count(*) from enrolments e where e.client_id = :client"
                    + " and e.campaign_id = :campaign"
                    + filter)
            .param("client", clientId)
            .param("campaign", campaignId);
    if (status != null) {
      items = items.param("status", status);
      count = count.param("status", status);
    }
    List<LeadRow> rows =
        items
            .query(
                (rs, n) ->
                    new LeadRow(
                        rs.getLong("id"),
                        rs.getString("email"),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getString("company"),
                        rs.getString("status"),
                        rs.getInt("current_step"),
                        CampaignStore.instant(rs, "next_send_at")))
            .list();
    return new Page<>(rows, page, size, count.query(Long.class).single());
  }

  /** The client's lead (enrolment) {@code leadId}; empty for an ID of another client. */
  public Optional<LeadDetail> find(long clientId, long leadId) {
    return jdbc.sql(
            "select e.id, e.campaign_id, l.email, l.first_name, l.last_name, l.company, l.timezone,"
                + " l.fields::text as fields, e.status, e.current_step, e.next_send_at,"
                + " e.last_outcome, e.created_at, e.started_at from enrolments e join leads l on"
                + " l.client_id = e.client_id and l.id = e.lead_id where e.client_id = :client and"
                + " e.id = :id")
        .param("client", clientId)
        .param("id", leadId)
        .query((rs, n) -> detail(rs))
        .optional();
  }

  /** Where the client's lead {@code leadId} stands; empty for an ID of another client. */
  public Optional<LeadState> state(long clientId, long leadId) {
    return jdbc.sql(
            "select campaign_id, status, started_at is not null as started from enrolments"
                + " where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", leadId)
        .query(
            (rs, n) ->
                new LeadState(
                    rs.getLong("campaign_id"), rs.getString("status"), rs.getBoolean("started")))
        .optional();
  }

  /**
   * Records what an operator reports (a reply, a booked meeting, an unsubscribe): sets the terminal
   * {@code status} and writes a timeline event, both only when the lead is not terminal yet.
   * Written before the lead's workflow is signalled, so the send activity's own status check sees
   * it even if the signal is late.
   *
   * @return {@link ChangeOutcome#UNCHANGED} when the lead already has this status, {@link
   *     ChangeOutcome#CONFLICT} when it has another terminal status
   */
  @Transactional
  public EventResult markTerminal(long clientId, long leadId, String status, String detail) {
    if (!TERMINAL.contains(status)) {
      throw new IllegalArgumentException(status + " is not a terminal lead status");
    }
    Optional<LeadState> changed =
        jdbc.sql(
                "update enrolments set status = :status, next_send_at = null,"
                    + " last_outcome = :outcome, updated_at = now()"
                    + " where client_id = :client and id = :id"
                    + " and status in ('PENDING', 'ACTIVE', 'PAUSED', 'HELD')"
                    + " returning campaign_id, status, started_at is not null as started")
            .param("client", clientId)
            .param("id", leadId)
            .param("status", status)
            .param("outcome", status + " (operator)")
            .query(
                (rs, n) ->
                    new LeadState(
                        rs.getLong("campaign_id"),
                        rs.getString("status"),
                        rs.getBoolean("started")))
            .optional();
    if (changed.isPresent()) {
      timeline.append(clientId, leadId, status, 0, detail);
      return new EventResult(ChangeOutcome.CHANGED, changed.get());
    }
    return state(clientId, leadId)
        .map(
            now ->
                new EventResult(
                    now.status().equals(status) ? ChangeOutcome.UNCHANGED : ChangeOutcome.CONFLICT,
                    now))
        .orElseGet(() -> new EventResult(ChangeOutcome.NOT_FOUND, null));
  }

  private static LeadDetail detail(ResultSet rs) throws SQLException {
    return new LeadDetail(
        rs.getLong("id"),
        rs.getLong("campaign_id"),
        rs.getString("email"),
        rs.getString("first_name"),
        rs.getString("last_name"),
        rs.getString("company"),
        rs.getString("timezone"),
        rs.getString("fields"),
        rs.getString("status"),
        rs.getInt("current_step"),
        CampaignStore.instant(rs, "next_send_at"),
        rs.getString("last_outcome"),
        CampaignStore.instant(rs, "created_at"),
        CampaignStore.instant(rs, "started_at"));
  }

  private static List<Rejection> sorted(List<Rejection> rejected) {
    List<Rejection> out = new ArrayList<>(rejected);
    out.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return out;
  }

  private static String emailRows(List<NewLead> leads) {
    List<Integer> all = new ArrayList<>(leads.size());
    for (int i = 0; i < leads.size(); i++) {
      all.add(i);
    }
    return emailRows(leads, all);
  }

  private static String emailRows(List<NewLead> leads, List<Integer> indexes) {
    StringBuilder out = new StringBuilder(indexes.size() * 40).append('[');
    for (int idx : indexes) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append("{\"idx\":").append(idx).append(",\"email\":");
      Json.string(out, leads.get(idx).email());
      out.append('}');
    }
    return out.append(']').toString();
  }

  private static String fullRows(List<NewLead> leads, List<Integer> indexes) {
    StringBuilder out = new StringBuilder(indexes.size() * 160).append('[');
    for (int idx : indexes) {
      NewLead lead = leads.get(idx);
      if (out.length() > 1) {
        out.append(',');
      }
      out.append("{\"idx\":").append(idx);
      Map<String, String> columns = new HashMap<>();
      columns.put("email", lead.email());
      columns.put("first_name", lead.firstName());
      columns.put("last_name", lead.lastName());
      columns.put("company", lead.company());
      columns.put("timezone", lead.timezone());
      for (Map.Entry<String, String> c : columns.entrySet()) {
        out.append(',');
        Json.string(out, c.getKey());
        out.append(':');
        Json.string(out, c.getValue());
      }
      out.append(",\"fields\":");
      Json.object(out, lead.fields() == null ? Map.of() : lead.fields());
      out.append('}');
    }
    return out.append(']').toString();
  }
}
