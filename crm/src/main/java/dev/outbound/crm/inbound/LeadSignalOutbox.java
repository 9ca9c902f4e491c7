package dev.outbound.crm.inbound;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Signals for lead workflows, written in the transaction that made the decision they announce and
 * sent after it commits. A signal stays pending until {@link #markSent}; whoever sends pending
 * signals next (the same inbox activity on its next poll, or another worker after a crash) sends it
 * again. The lead workflow's signals are idempotent, so a repeat is harmless.
 */
@Repository
public class LeadSignalOutbox {

  /** What the lead's workflow is told. */
  public enum Signal {
    REPLIED,
    BOUNCED,
    UNSUBSCRIBED,
    MEETING_BOOKED,
    CAMPAIGN_STOPPED,
    /** {@code argument} is the instant (epoch milliseconds) no step may go out before. */
    OUT_OF_OFFICE_UNTIL,
    RESUME
  }

  /** A signal waiting to be sent. */
  public record Pending(
      long id, long clientId, long campaignId, long enrolmentId, Signal signal, Long argument) {}

  private final JdbcClient jdbc;

  public LeadSignalOutbox(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Queues a signal; call inside the transaction that committed the decision. */
  public long enqueue(
      long clientId, long campaignId, long enrolmentId, Signal signal, Long argument) {
    return jdbc.sql(
            "insert into lead_signals (client_id, campaign_id, enrolment_id, signal, argument)"
                + " values (:client, :campaign, :enrolment, :signal, :argument) returning id")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("enrolment", enrolmentId)
        .param("signal", signal.name())
        .param("argument", argument)
        .query(Long.class)
        .single();
  }

  /** The client's pending signals, oldest first, at most {@code limit}. */
  public List<Pending> pending(long clientId, int limit) {
    return jdbc.sql(
            "select id, client_id, campaign_id, enrolment_id, signal, argument from lead_signals"
                + " where sent_at is null and client_id = :client order by id limit :limit")
        .param("client", clientId)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new Pending(
                    rs.getLong("id"),
                    rs.getLong("client_id"),
                    rs.getLong("campaign_id"),
                    rs.getLong("enrolment_id"),
                    Signal.valueOf(rs.getString("signal")),
                    (Long) rs.getObject("argument")))
        .list();
  }

  /** The signal reached the workflow (or there was no workflow to reach). */
  public void markSent(long clientId, long id) {
    jdbc.sql(
            "update lead_signals set sent_at = now(), attempts = attempts + 1"
                + " where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", id)
        .update();
  }

  /** A send failed (the workflow service did not answer); it stays pending. */
  public void markAttempt(long clientId, long id) {
    jdbc.sql(
            "update lead_signals set attempts = attempts + 1 where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", id)
        .update();
  }
}
