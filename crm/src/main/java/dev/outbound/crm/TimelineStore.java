package dev.outbound.crm;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The per-lead event timeline: everything the system did with a lead, and why. */
@Repository
public class TimelineStore {

  /** One timeline entry. */
  public record Event(Instant at, String type, int step, String detail) {}

  private final JdbcClient jdbc;

  public TimelineStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void append(long clientId, long leadId, String type, int step, String detail) {
    jdbc.sql(
            "insert into lead_events (client_id, enrolment_id, type, step, detail)"
                + " select client_id, id, :type, :step, :detail from enrolments"
                + " where client_id = :client and id = :lead")
        .param("client", clientId)
        .param("lead", leadId)
        .param("type", type)
        .param("step", step)
        .param("detail", detail)
        .update();
  }

  public List<Event> list(long clientId, long leadId) {
    return jdbc.sql(
            "select at, type, step, detail from lead_events"
                + " where client_id = :client and enrolment_id = :lead order by id")
        .param("client", clientId)
        .param("lead", leadId)
        .query(
            (rs, n) ->
                new Event(
                    rs.getObject("at", OffsetDateTime.class).toInstant(),
                    rs.getString("type"),
                    rs.getInt("step"),
                    rs.getString("detail")))
        .list();
  }
}
