package dev.outbound.crm.admin;

import dev.outbound.crm.TimelineStore;
import dev.outbound.vocabulary.status.CampaignStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * A campaign's status transitions: start, pause, resume and stop. The campaign itself (its steps,
 * window and pool) is {@link CampaignStore}'s.
 *
 * <p>Transitions are single conditional {@code UPDATE}s, so concurrent calls are safe: of two
 * simultaneous starts exactly one changes the row, the other sees {@link ChangeOutcome#UNCHANGED}.
 */
@Repository
public class CampaignTransitionStore {

  /**
   * The result of a transition.
   *
   * @param outcome what happened
   * @param status the status after the call ({@code null} when not found)
   * @param started whether the campaign was ever started, i.e. has a campaign workflow
   * @param reason why a conflicting transition was refused, else {@code null}
   */
  public record Transition(
      ChangeOutcome outcome, CampaignStatus status, boolean started, String reason) {

    static Transition notFound() {
      return new Transition(ChangeOutcome.NOT_FOUND, null, false, null);
    }
  }

  private final JdbcClient jdbc;

  public CampaignTransitionStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * DRAFT to ACTIVE, when the campaign has at least one step and one mailbox. Starting an ACTIVE
   * campaign is {@link ChangeOutcome#UNCHANGED}; a PAUSED or STOPPED one is a conflict.
   */
  public Transition start(long clientId, long id) {
    int changed =
        jdbc.sql(
                "update campaigns c set status = 'ACTIVE', started_at = coalesce(started_at, now())"
                    + " where c.client_id = :client and c.id = :id and c.status = 'DRAFT'"
                    + " and exists (select 1 from sequence_steps s"
                    + "   where s.client_id = c.client_id and s.campaign_id = c.id)"
                    + " and exists (select 1 from campaign_mailboxes m"
                    + "   where m.client_id = c.client_id and m.campaign_id = c.id)")
            .param("client", clientId)
            .param("id", id)
            .update();
    if (changed == 1) {
      return new Transition(ChangeOutcome.CHANGED, CampaignStatus.ACTIVE, true, null);
    }
    return current(clientId, id)
        .map(
            now ->
                switch (now.status()) {
                  case ACTIVE -> new Transition(ChangeOutcome.UNCHANGED, now.status(), true, null);
                  case DRAFT ->
                      conflict(
                          now, "the campaign needs at least one step and one mailbox to start");
                  case PAUSED -> conflict(now, "the campaign is paused; resume it instead");
                  case STOPPED -> conflict(now, "a stopped campaign cannot be started again");
                })
        .orElseGet(Transition::notFound);
  }

  /**
   * ACTIVE to PAUSED; pausing a PAUSED campaign is unchanged, a DRAFT or STOPPED one a conflict.
   */
  public Transition pause(long clientId, long id) {
    return move(clientId, id, CampaignStatus.ACTIVE, CampaignStatus.PAUSED);
  }

  /**
   * PAUSED to ACTIVE; resuming an ACTIVE campaign is unchanged, a DRAFT or STOPPED one a conflict.
   */
  public Transition resume(long clientId, long id) {
    return move(clientId, id, CampaignStatus.PAUSED, CampaignStatus.ACTIVE);
  }

  /**
   * Any status to STOPPED. A campaign that was never started has no workflow to stop its leads, so
   * its enrolled leads are stopped here, with a timeline event each.
   */
  @Transactional
  public Transition stop(long clientId, long id) {
    Optional<Boolean> started =
        jdbc.sql(
                "update campaigns set status = 'STOPPED' where client_id = :client and id = :id"
                    + " and status <> 'STOPPED' returning started_at is not null")
            .param("client", clientId)
            .param("id", id)
            .query(Boolean.class)
            .optional();
    if (started.isEmpty()) {
      return current(clientId, id)
          .map(now -> new Transition(ChangeOutcome.UNCHANGED, now.status(), now.started(), null))
          .orElseGet(Transition::notFound);
    }
    if (!started.get()) {
      jdbc.sql(
              "with stopped as (update enrolments set status = 'STOPPED', updated_at = now()"
                  + " where client_id = :client and campaign_id = :id and status = 'PENDING'"
                  + " returning client_id, id) "
                  + TimelineStore.insertForEach(
                      "stopped",
                      "client_id",
                      "id",
                      TimelineEvent.STOPPED,
                      "'campaign stopped before it started'"))
          .param("client", clientId)
          .param("id", id)
          .update();
    }
    return new Transition(ChangeOutcome.CHANGED, CampaignStatus.STOPPED, started.get(), null);
  }

  private Transition move(long clientId, long id, CampaignStatus from, CampaignStatus to) {
    int changed =
        jdbc.sql(
                "update campaigns set status = :to where client_id = :client and id = :id"
                    + " and status = :from")
            .param("client", clientId)
            .param("id", id)
            .param("from", from.name())
            .param("to", to.name())
            .update();
    if (changed == 1) {
      return new Transition(ChangeOutcome.CHANGED, to, true, null);
    }
    return current(clientId, id)
        .map(
            now -> {
              if (now.status() == to) {
                return new Transition(ChangeOutcome.UNCHANGED, to, now.started(), null);
              }
              return conflict(
                  now,
                  "a campaign in status "
                      + now.status()
                      + " cannot be "
                      + (to == CampaignStatus.PAUSED ? "paused" : "resumed")
                      + "; only a campaign in status "
                      + from
                      + " can");
            })
        .orElseGet(Transition::notFound);
  }

  private record Current(CampaignStatus status, boolean started) {}

  private Optional<Current> current(long clientId, long id) {
    return jdbc.sql(
            "select status, started_at is not null as started from campaigns"
                + " where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", id)
        .query(
            (rs, n) ->
                new Current(
                    CampaignStatus.valueOf(rs.getString("status")), rs.getBoolean("started")))
        .optional();
  }

  private static Transition conflict(Current now, String reason) {
    return new Transition(ChangeOutcome.CONFLICT, now.status(), now.started(), reason);
  }
}
