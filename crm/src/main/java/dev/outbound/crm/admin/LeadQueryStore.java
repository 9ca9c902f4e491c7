package dev.outbound.crm.admin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reading leads as the API sees them: a campaign's leads page by page, one lead in full, and where
 * a lead stands. The API's lead ID is the enrolment's ID.
 */
@Repository
public class LeadQueryStore {

  private final JdbcClient jdbc;

  public LeadQueryStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
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
                        Rows.instant(rs, "next_send_at")))
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
        Rows.instant(rs, "next_send_at"),
        rs.getString("last_outcome"),
        Rows.instant(rs, "created_at"),
        Rows.instant(rs, "started_at"));
  }
}
