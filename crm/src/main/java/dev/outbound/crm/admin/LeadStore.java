package dev.outbound.crm.admin;

import dev.outbound.crm.LimitProperties;
import dev.outbound.crm.TimelineStore;
import dev.outbound.vocabulary.json.Json;
import dev.outbound.vocabulary.status.CampaignStatus;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
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
import org.springframework.beans.factory.ObjectProvider;
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

  /**
   * A lead to add. {@code fields} are extra template variables; all but {@code email} may be null.
   * {@code country} is an ISO 3166-1 alpha-2 code in upper case (the schema checks the form), for
   * the public holidays of campaigns that skip them.
   */
  public record NewLead(
      String email,
      String firstName,
      String lastName,
      String company,
      String timezone,
      String country,
      Map<String, String> fields) {

    /** A lead without a country. */
    public NewLead(
        String email,
        String firstName,
        String lastName,
        String company,
        String timezone,
        Map<String, String> fields) {
      this(email, firstName, lastName, company, timezone, null, fields);
    }
  }

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

  /**
   * One lead in full; {@code fieldsJson} is the JSON object of its extra fields, {@code mailboxId}
   * the mailbox its emails come from (null until its first send is prepared).
   */
  public record LeadDetail(
      long id,
      long campaignId,
      String email,
      String firstName,
      String lastName,
      String company,
      String timezone,
      String country,
      Long mailboxId,
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
      return LeadStatus.parse(status).map(LeadStatus::isTerminal).orElse(false);
    }
  }

  /**
   * A correction of a lead's person; {@code null} leaves a value as it is, {@code fields} replaces
   * the whole map.
   */
  public record LeadUpdate(
      String firstName,
      String lastName,
      String company,
      String timezone,
      String country,
      Map<String, String> fields) {

    /** A correction that leaves the country as it is. */
    public LeadUpdate(
        String firstName,
        String lastName,
        String company,
        String timezone,
        Map<String, String> fields) {
      this(firstName, lastName, company, timezone, null, fields);
    }
  }

  /**
   * What an operator event did; {@code state} and {@code previousStatus} are {@code null} when the
   * lead was not found.
   *
   * @param previousStatus the lead's status before the event (the current one when nothing changed)
   */
  public record EventResult(ChangeOutcome outcome, LeadState state, String previousStatus) {}

  private final JdbcClient jdbc;
  private final TimelineStore timeline;
  private final LimitProperties limits;

  public LeadStore(
      JdbcClient jdbc, TimelineStore timeline, ObjectProvider<LimitProperties> limits) {
    this.jdbc = jdbc;
    this.timeline = timeline;
    // Contexts that scan only this package have no bound limits; they get the defaults.
    this.limits = limits.getIfAvailable(LimitProperties::defaults);
  }

  /**
   * Adds leads to the client's campaign. A person is created, or updated with the non-null values
   * given, by address (case-insensitive); then enrolled. A lead is rejected, and its person left as
   * it was, when the same address came earlier in the request or is already in the campaign.
   *
   * @return empty when the campaign is not the client's
   * @throws CampaignStateException when the campaign is stopped; nothing is written then
   * @throws LeadCapExceededException when the new leads would take the campaign past the client's
   *     cap on leads per campaign; nothing is written then
   */
  @Transactional
  public Optional<AddResult> add(long clientId, long campaignId, List<NewLead> leads) {
    Optional<CampaignStatus> status =
        jdbc.sql(
                // The row lock keeps a concurrent stop from committing between this check and the
                // enrolment, so no lead lands in a campaign that is already stopped. It is FOR NO
                // KEY UPDATE (not FOR SHARE) so that two adds to one campaign take turns and the
                // cap on leads per campaign below counts what the other one wrote.
                "select status from campaigns where client_id = :client and id = :id"
                    + " for no key update")
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
    checkCap(clientId, campaignId, keep.size());

    List<Integer> kept = new ArrayList<>(keep);
    kept.sort(null);
    jdbc.sql(
            "insert into leads (client_id, email, first_name, last_name, company, timezone,"
                + " country, fields)"
                + " select :client, r.email, r.first_name, r.last_name, r.company, r.timezone,"
                + "   r.country, coalesce(r.fields, '{}'::jsonb)"
                + " from jsonb_to_recordset(cast(:rows as jsonb)) as r(idx int, email text,"
                + "   first_name text, last_name text, company text, timezone text, country text,"
                + "   fields jsonb)"
                // A stable order makes concurrent requests lock shared people in the same order.
                + " order by lower(r.email)"
                + " on conflict (client_id, lower(email)) do update set"
                + "   first_name = coalesce(excluded.first_name, leads.first_name),"
                + "   last_name = coalesce(excluded.last_name, leads.last_name),"
                + "   company = coalesce(excluded.company, leads.company),"
                + "   timezone = coalesce(excluded.timezone, leads.timezone),"
                + "   country = coalesce(excluded.country, leads.country),"
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
                + " ev as ("
                + TimelineStore.insertForEach(
                    "ins", ":client", "id", TimelineEvent.ENROLLED, "'added to the campaign'")
                + ")"
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

  /** Throws when {@code adding} more leads would take the campaign past the client's cap. */
  private void checkCap(long clientId, long campaignId, int adding) {
    int cap =
        jdbc.sql("select max_leads_per_campaign from clients where id = :client")
            .param("client", clientId)
            .query((rs, n) -> (Integer) rs.getObject(1))
            .optional()
            .filter(v -> v != null)
            .orElse(limits.maxLeadsPerCampaign());
    long current =
        jdbc.sql(
                "select count(*) from enrolments where client_id = :client"
                    + " and campaign_id = :campaign")
            .param("client", clientId)
            .param("campaign", campaignId)
            .query(Long.class)
            .single();
    if (current + adding > cap) {
      throw new LeadCapExceededException(cap, current, adding);
    }
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
                + " l.country, e.mailbox_id, l.fields::text as fields, e.status, e.current_step, e.next_send_at,"
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
   * Records what an operator reports (a reply, a booked meeting, an unsubscribe) or sets another
   * terminal {@code status}, and writes one timeline event when the status changed. Written before
   * the lead's workflow is signalled, so the send activity's own status check sees it even if the
   * signal is late.
   *
   * <p>A lead whose sequence is still to run or running ({@code PENDING}, {@code ACTIVE}, {@code
   * PAUSED}, {@code HELD}) can take any terminal status. What an operator learns can also come
   * after the sequence ended, so these follow an ended lead too (see {@link #allowedFrom}): {@code
   * REPLIED} after {@code COMPLETED}, {@code STOPPED} or {@code FAILED}; {@code MEETING_BOOKED}
   * also after {@code REPLIED}; {@code UNSUBSCRIBED} also after {@code MEETING_BOOKED}. Nothing
   * leaves {@code BOUNCED} or {@code UNSUBSCRIBED}.
   *
   * @return {@link ChangeOutcome#UNCHANGED} when the lead already has this status, {@link
   *     ChangeOutcome#CONFLICT} when its status does not allow the change
   */
  @Transactional
  public EventResult markTerminal(long clientId, long leadId, String status, String detail) {
    return markTerminal(clientId, leadId, status, detail, status + " (operator)");
  }

  /**
   * As {@link #markTerminal(long, long, String, String)}, with the lead's last outcome given by the
   * caller (e.g. {@code REPLIED (inbox)} for a reply read from the mailbox).
   */
  @Transactional
  public EventResult markTerminal(
      long clientId, long leadId, String status, String detail, String outcome) {
    if (!LeadStatus.parse(status).map(LeadStatus::isTerminal).orElse(false)) {
      throw new IllegalArgumentException(status + " is not a terminal lead status");
    }
    Optional<EventResult> changed =
        jdbc.sql(
                // The CTE reads (and locks) the status before the change, which the caller needs
                // to know whether the workflow may still run.
                "with old as (select id, status from enrolments"
                    + "   where client_id = :client and id = :id for update)"
                    + " update enrolments e set status = :status, next_send_at = null,"
                    + " last_outcome = :outcome, updated_at = now()"
                    + " from old where e.client_id = :client and e.id = old.id"
                    + " and old.status in (:from)"
                    + " returning e.campaign_id, e.status, e.started_at is not null as started,"
                    + " old.status as previous")
            .param("client", clientId)
            .param("id", leadId)
            .param("status", status)
            .param("from", allowedFrom(status))
            .param("outcome", outcome)
            .query(
                (rs, n) ->
                    new EventResult(
                        ChangeOutcome.CHANGED,
                        new LeadState(
                            rs.getLong("campaign_id"),
                            rs.getString("status"),
                            rs.getBoolean("started")),
                        rs.getString("previous")))
            .optional();
    if (changed.isPresent()) {
      timeline.append(clientId, leadId, TimelineEvent.valueOf(status), 0, detail);
      return changed.get();
    }
    return state(clientId, leadId)
        .map(
            now ->
                new EventResult(
                    now.status().equals(status) ? ChangeOutcome.UNCHANGED : ChangeOutcome.CONFLICT,
                    now,
                    now.status()))
        .orElseGet(() -> new EventResult(ChangeOutcome.NOT_FOUND, null, null));
  }

  /** The statuses from which {@link #markTerminal} may set the terminal {@code status}. */
  static List<String> allowedFrom(String status) {
    return LeadStatus.names(LeadStatus.valueOf(status).allowedFrom());
  }

  /**
   * Corrects the person behind the client's lead {@code leadId}: each non-null value replaces the
   * stored one ({@code fields} replaces the whole map). The person row is shared by the person's
   * enrolments in other campaigns, so the change applies there too. One {@code UPDATED} timeline
   * event, naming the changed fields (never their values), goes to every enrolment of the person
   * when something changed.
   *
   * @return the names of the fields that changed (empty when none did); empty {@link Optional} when
   *     the lead is not the client's
   */
  @Transactional
  public Optional<List<String>> update(long clientId, long leadId, LeadUpdate update) {
    String fields = update.fields() == null ? null : Json.object(update.fields());
    Optional<Changes> result =
        jdbc.sql(
                "with old as (select l.id, l.first_name, l.last_name, l.company, l.timezone,"
                    + "   l.country, l.fields from enrolments e join leads l on l.client_id = e.client_id"
                    + "   and l.id = e.lead_id where e.client_id = :client and e.id = :lead"
                    + "   for update of l)"
                    + " update leads l set"
                    + " first_name = coalesce(cast(:firstName as text), l.first_name),"
                    + " last_name = coalesce(cast(:lastName as text), l.last_name),"
                    + " company = coalesce(cast(:company as text), l.company),"
                    + " timezone = coalesce(cast(:timezone as text), l.timezone),"
                    + " country = coalesce(cast(:country as text), l.country),"
                    + " fields = coalesce(cast(:fields as jsonb), l.fields)"
                    + " from old where l.client_id = :client and l.id = old.id"
                    + " returning l.id,"
                    + " l.first_name is distinct from old.first_name as first_name_changed,"
                    + " l.last_name is distinct from old.last_name as last_name_changed,"
                    + " l.company is distinct from old.company as company_changed,"
                    + " l.timezone is distinct from old.timezone as timezone_changed,"
                    + " l.country is distinct from old.country as country_changed,"
                    + " l.fields is distinct from old.fields as fields_changed")
            .param("client", clientId)
            .param("lead", leadId)
            .param("firstName", update.firstName())
            .param("lastName", update.lastName())
            .param("company", update.company())
            .param("timezone", update.timezone())
            .param("country", update.country())
            .param("fields", fields)
            .query(
                (rs, n) -> {
                  List<String> names = new ArrayList<>();
                  String[][] columns = {
                    {"first_name_changed", "firstName"},
                    {"last_name_changed", "lastName"},
                    {"company_changed", "company"},
                    {"timezone_changed", "timezone"},
                    {"country_changed", "country"},
                    {"fields_changed", "fields"}
                  };
                  for (String[] c : columns) {
                    if (rs.getBoolean(c[0])) {
                      names.add(c[1]);
                    }
                  }
                  return new Changes(rs.getLong("id"), List.copyOf(names));
                })
            .optional();
    if (result.isEmpty()) {
      return Optional.empty();
    }
    Changes changes = result.get();
    if (!changes.names().isEmpty()) {
      String names = String.join(", ", changes.names());
      jdbc.sql(
              "insert into lead_events (client_id, enrolment_id, type, step, detail)"
                  + " select client_id, id, 'UPDATED', 0,"
                  + "   case when id = :lead then :here else :elsewhere end"
                  + " from enrolments where client_id = :client and lead_id = :person"
                  + " order by id")
          .param("client", clientId)
          .param("lead", leadId)
          .param("person", changes.person())
          .param("here", "lead data corrected: " + names)
          .param("elsewhere", "lead data corrected through lead " + leadId + ": " + names)
          .update();
    }
    return Optional.of(changes.names());
  }

  private record Changes(long person, List<String> names) {}

  private static LeadDetail detail(ResultSet rs) throws SQLException {
    return new LeadDetail(
        rs.getLong("id"),
        rs.getLong("campaign_id"),
        rs.getString("email"),
        rs.getString("first_name"),
        rs.getString("last_name"),
        rs.getString("company"),
        rs.getString("timezone"),
        rs.getString("country"),
        rs.getObject("mailbox_id", Long.class),
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
      columns.put("country", lead.country());
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
