package dev.outbound.crm.admin;

import dev.outbound.crm.LimitProperties;
import dev.outbound.crm.TimelineStore;
import dev.outbound.vocabulary.json.Json;
import dev.outbound.vocabulary.status.CampaignStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.sql.ResultSet;
import java.util.ArrayList;
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
 * Adding leads to a campaign. A lead as the API sees it is a person ({@code leads}, one per client
 * and lower-cased address) enrolled in one campaign ({@code enrolments}); the API's lead ID is the
 * enrolment's ID. Reading leads is {@link LeadQueryStore}'s, changing one {@link
 * LeadChangeStore}'s.
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

  private final JdbcClient jdbc;
  private final LimitProperties limits;

  public LeadStore(JdbcClient jdbc, ObjectProvider<LimitProperties> limits) {
    this.jdbc = jdbc;
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
      Json.member(out, "email", lead.email());
      Json.member(out, "first_name", lead.firstName());
      Json.member(out, "last_name", lead.lastName());
      Json.member(out, "company", lead.company());
      Json.member(out, "timezone", lead.timezone());
      Json.member(out, "country", lead.country());
      out.append(",\"fields\":");
      Json.object(out, lead.fields() == null ? Map.of() : lead.fields());
      out.append('}');
    }
    return out.append(']').toString();
  }
}
