package dev.outbound.crm.admin;

import dev.outbound.crm.TimelineStore;
import dev.outbound.vocabulary.json.Json;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changing a lead after it was added: what an operator (or the inbox, or a booking webhook) reports
 * ends it with a terminal status, and an operator corrects its person's data. Each change writes
 * its timeline entry in the same transaction.
 */
@Repository
public class LeadChangeStore {

  /**
   * What an operator event did; {@code state} and {@code previousStatus} are {@code null} when the
   * lead was not found.
   *
   * @param previousStatus the lead's status before the event (the current one when nothing changed)
   */
  public record EventResult(ChangeOutcome outcome, LeadState state, String previousStatus) {}

  private final JdbcClient jdbc;
  private final TimelineStore timeline;
  private final LeadQueryStore queries;

  public LeadChangeStore(JdbcClient jdbc, TimelineStore timeline, LeadQueryStore queries) {
    this.jdbc = jdbc;
    this.timeline = timeline;
    this.queries = queries;
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
    return queries
        .state(clientId, leadId)
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
      timeline.appendToPerson(
          clientId,
          changes.person(),
          leadId,
          TimelineEvent.UPDATED,
          "lead data corrected: " + names,
          "lead data corrected through lead " + leadId + ": " + names);
    }
    return Optional.of(changes.names());
  }

  private record Changes(long person, List<String> names) {}
}
