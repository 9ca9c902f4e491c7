package dev.outbound.crm.suppression;

import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.suppression.SuppressionStore.Kind;
import dev.outbound.crm.suppression.SuppressionStore.Reason;
import dev.outbound.vocabulary.address.SuppressionValues;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Carries out an unsubscribe: the person's address goes on the client's suppression list and every
 * enrolment of that person in the client's campaigns that can still take {@code UNSUBSCRIBED}
 * becomes {@code UNSUBSCRIBED}, in one transaction. The caller signals the affected workflows
 * afterwards (database first, signal second: the send activity checks the status and the list
 * itself, so a lost signal cannot let an email out).
 */
@Repository
public class Unsubscriptions {

  /**
   * One enrolment that became {@code UNSUBSCRIBED}.
   *
   * @param started whether its sequence was started (only then is there a workflow to signal)
   * @param previousStatus its status before
   */
  public record Changed(long enrolmentId, long campaignId, boolean started, String previousStatus) {

    /**
     * Whether the lead's workflow may still run and should be told (its sequence had not ended).
     */
    public boolean mayStillRun() {
      return started && LeadStatus.parse(previousStatus).map(LeadStatus::mayStillRun).orElse(true);
    }
  }

  private final JdbcClient jdbc;
  private final SuppressionStore suppressions;
  private final TimelineStore timeline;

  public Unsubscriptions(JdbcClient jdbc, SuppressionStore suppressions, TimelineStore timeline) {
    this.jdbc = jdbc;
    this.suppressions = suppressions;
    this.timeline = timeline;
  }

  /**
   * Unsubscribes the person behind the client's enrolment {@code enrolmentId}. Idempotent: a repeat
   * finds the address listed and the enrolments ended, and changes nothing.
   *
   * @param source what asked, for the suppression entry and the timeline (no personal data)
   * @return the enrolments that changed (empty on a repeat); an empty {@link Optional} when the
   *     enrolment is not the client's
   */
  @Transactional
  public Optional<List<Changed>> unsubscribe(long clientId, long enrolmentId, String source) {
    Optional<Person> person =
        jdbc.sql(
                "select l.id, l.email from enrolments e"
                    + " join leads l on l.client_id = e.client_id and l.id = e.lead_id"
                    + " where e.client_id = :client and e.id = :id")
            .param("client", clientId)
            .param("id", enrolmentId)
            .query((rs, n) -> new Person(rs.getLong("id"), rs.getString("email")))
            .optional();
    if (person.isEmpty()) {
      return Optional.empty();
    }
    if (SuppressionValues.parseAddress(person.get().email()).isPresent()) {
      suppressions.add(clientId, Kind.ADDRESS, person.get().email(), Reason.UNSUBSCRIBED, source);
    }
    List<Changed> changed = new ArrayList<>();
    jdbc.sql(
            // The CTE locks the rows and reads the status before the change.
            "with old as (select id, status from enrolments"
                + "   where client_id = :client and lead_id = :person and status in (:from)"
                + "   order by id for update)"
                + " update enrolments e set status = 'UNSUBSCRIBED', next_send_at = null,"
                + " last_outcome = 'UNSUBSCRIBED (link)', updated_at = now()"
                + " from old where e.client_id = :client and e.id = old.id"
                + " returning e.id, e.campaign_id, e.started_at is not null as started,"
                + " old.status as previous")
        .param("client", clientId)
        .param("person", person.get().id())
        .param("from", LeadStatus.names(LeadStatus.UNSUBSCRIBED.allowedFrom()))
        .query(
            (rs, n) ->
                new Changed(
                    rs.getLong("id"),
                    rs.getLong("campaign_id"),
                    rs.getBoolean("started"),
                    rs.getString("previous")))
        .list()
        .forEach(changed::add);
    for (Changed c : changed) {
      timeline.append(clientId, c.enrolmentId(), TimelineEvent.UNSUBSCRIBED, 0, source);
    }
    return Optional.of(List.copyOf(changed));
  }

  private record Person(long id, String email) {}
}
