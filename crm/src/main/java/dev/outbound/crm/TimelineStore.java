package dev.outbound.crm;

import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The per-lead event timeline: everything the system did with a lead, and why. This class is the
 * only writer of {@code lead_events}; every entry is typed by {@link TimelineEvent}, whose class
 * comment says which part records which event. Writes join the run in the caller's transaction, so
 * an entry is there exactly when the change it explains is.
 */
@Repository
public class TimelineStore {

  /** One timeline entry. */
  public record Event(Instant at, String type, int step, String detail) {}

  private static final String INSERT =
      "insert into lead_events (client_id, enrolment_id, type, step, detail)";

  /** What {@link #insertForEach} accepts as a name: a column, a CTE, or a bind parameter. */
  private static final Pattern SQL_NAME = Pattern.compile(":?[a-z_][a-z0-9_]*");

  /** What it accepts as the detail: a bind parameter or a literal without quotes inside. */
  private static final Pattern SQL_DETAIL = Pattern.compile(":[a-z_][a-z0-9_]*|'[^'\\\\]*'");

  private final JdbcClient jdbc;

  public TimelineStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Appends an entry for the client's enrolment {@code leadId}; nothing when it is not theirs. */
  public void append(long clientId, long leadId, TimelineEvent type, int step, String detail) {
    jdbc.sql(
            INSERT
                + " select client_id, id, :type, :step, :detail from enrolments"
                + " where client_id = :client and id = :lead")
        .param("client", clientId)
        .param("lead", leadId)
        .param("type", type.name())
        .param("step", step)
        .param("detail", detail)
        .update();
  }

  /** Appends the same entry for each of the client's enrolments {@code leadIds}, in ID order. */
  public void appendToEach(
      long clientId, List<Long> leadIds, TimelineEvent type, int step, String detail) {
    jdbc.sql(
            INSERT
                + " select client_id, id, :type, :step, :detail from enrolments"
                + " where client_id = :client and id in (:leads) order by id")
        .param("client", clientId)
        .param("leads", leadIds)
        .param("type", type.name())
        .param("step", step)
        .param("detail", detail)
        .update();
  }

  /**
   * Appends an entry to each enrolment of the client's person {@code personId}, in ID order, in one
   * statement: the enrolment {@code leadId} the change was made through gets {@code detail}, the
   * person's other enrolments {@code otherDetail}.
   */
  public void appendToPerson(
      long clientId,
      long personId,
      long leadId,
      TimelineEvent type,
      String detail,
      String otherDetail) {
    jdbc.sql(
            INSERT
                + " select client_id, id, :type, 0,"
                + " case when id = :lead then :here else :elsewhere end from enrolments"
                + " where client_id = :client and lead_id = :person order by id")
        .param("client", clientId)
        .param("person", personId)
        .param("lead", leadId)
        .param("type", type.name())
        .param("here", detail)
        .param("elsewhere", otherDetail)
        .update();
  }

  /**
   * Appends an entry unless the enrolment's latest entry is the same (type, step and detail). An
   * activity retried after it already succeeded thus leaves one entry, while a real repetition
   * (paused, resumed, paused) still shows every step. Returns whether it appended.
   */
  public boolean appendUnlessRepeated(
      long clientId, long enrolmentId, TimelineEvent type, int step, String detail) {
    return jdbc.sql(
                INSERT
                    + " select e.client_id, e.id, cast(:type as text), cast(:step as int),"
                    + " cast(:detail as text) from enrolments e where e.client_id = :client and"
                    + " e.id = :lead and not exists (select 1 from (   select type, step, detail"
                    + " from lead_events   where client_id = :client and enrolment_id = :lead  "
                    + " order by id desc limit 1) latest   where latest.type = cast(:type as text)"
                    + " and latest.step = cast(:step as int)   and latest.detail is not distinct"
                    + " from cast(:detail as text))")
            .param("client", clientId)
            .param("lead", enrolmentId)
            .param("type", type.name())
            .param("step", step)
            .param("detail", detail)
            .update()
        == 1;
  }

  /**
   * The SQL of an insert of one step-0 entry per row of {@code rows}, for a store that changes many
   * enrolments in one statement and records them in the same one (e.g. {@code with changed as
   * (update ... returning ...) <this>}). The type is a constant of the enum; {@code clientColumn},
   * {@code idColumn} and {@code detail} are SQL expressions over {@code rows} (a parameter or a
   * literal for the detail), never user data; anything else is refused.
   */
  public static String insertForEach(
      String rows, String clientColumn, String idColumn, TimelineEvent type, String detail) {
    for (String name : new String[] {rows, clientColumn, idColumn}) {
      if (!SQL_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a column, table or parameter name: " + name);
      }
    }
    if (!SQL_DETAIL.matcher(detail).matches()) {
      throw new IllegalArgumentException("the detail must be a parameter or a plain literal");
    }
    return INSERT
        + " select "
        + clientColumn
        + ", "
        + idColumn
        + ", '"
        + type.name()
        + "', 0, "
        + detail
        + " from "
        + rows;
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
