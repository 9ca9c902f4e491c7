package dev.outbound.crm.sequence;

import dev.outbound.crm.TimelineStore;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * An enrolment's (a lead's) sequence state, its timeline events, the campaign's steps, and the
 * pages of enrolments that the campaign fan-out works through.
 *
 * <p>Terminal statuses never change again: an update is applied only while the enrolment is not
 * terminal, so a late non-terminal update cannot overwrite a reply, and the first terminal status
 * wins.
 */
@Repository
public class EnrolmentStore {

  /** The terminal statuses as an SQL list of constants (fixed names, no user data). */
  public static final String TERMINAL_SQL = LeadStatus.sqlList(LeadStatus.TERMINAL);

  /**
   * The statuses that are not terminal, as an SQL list of constants. The partial index {@code
   * enrolments_open_by_mailbox} (V2) has exactly this predicate; a query that wants it must say
   * {@code status in} this list.
   */
  public static final String NON_TERMINAL_SQL = LeadStatus.sqlList(LeadStatus.NOT_ENDED);

  private record Picked(long id, boolean wasTerminal) {}

  private final JdbcClient jdbc;
  private final TimelineStore timeline;

  public EnrolmentStore(JdbcClient jdbc, TimelineStore timeline) {
    this.jdbc = jdbc;
    this.timeline = timeline;
  }

  /** The enrolment's status, or empty when it is not this client's campaign's. */
  public Optional<String> status(long clientId, long campaignId, long enrolmentId) {
    return jdbc.sql(
            "select status from enrolments"
                + " where client_id = :client and campaign_id = :campaign and id = :lead")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .query(String.class)
        .optional();
  }

  /** The campaign's status, or empty when it is not this client's. */
  public Optional<String> campaignStatus(long clientId, long campaignId) {
    return jdbc.sql("select status from campaigns where client_id = :client and id = :campaign")
        .param("client", clientId)
        .param("campaign", campaignId)
        .query(String.class)
        .optional();
  }

  /** The campaign's steps in order. */
  public List<StepDelay> steps(long clientId, long campaignId) {
    return jdbc.sql(
            "select step_index, delay_seconds from sequence_steps"
                + " where client_id = :client and campaign_id = :campaign order by step_index")
        .param("client", clientId)
        .param("campaign", campaignId)
        .query((rs, n) -> new StepDelay(rs.getInt("step_index"), rs.getLong("delay_seconds")))
        .list();
  }

  /**
   * Marks a non-terminal enrolment {@code ACTIVE} and started (a sequence may be started by the API
   * rather than the campaign's enrolment, and must then not be enrolled again). Returns false when
   * the enrolment is terminal or not found.
   */
  public boolean markActive(long clientId, long campaignId, long enrolmentId) {
    return jdbc.sql(
                "update enrolments set status = 'ACTIVE',"
                    + " started_at = coalesce(started_at, now()), updated_at = now()"
                    + " where client_id = :client and campaign_id = :campaign and id = :lead"
                    + " and status not in "
                    + TERMINAL_SQL)
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .update()
        == 1;
  }

  /**
   * A lead whose sequence is about to start (see {@link #activateForStart}).
   *
   * @param enrolmentId the lead
   * @param status its status now: {@code ACTIVE}, or the terminal status it already had
   * @param firstDueAt when its first step is due as recorded, or {@code null} when it is terminal
   */
  public record Activation(long enrolmentId, String status, Instant firstDueAt) {}

  /**
   * What the lead sequence's first activity did, for a whole page of leads in three statements:
   * every lead of {@code enrolmentIds} that is not terminal becomes {@code ACTIVE} with its first
   * step due at {@code now + firstDelaySeconds} (its {@code next_send_at}), and gets the {@code
   * STARTED} and {@code SCHEDULED} timeline events. The caller then starts the sequences with the
   * plan and these due times, so a sequence costs no activity before its first timer.
   *
   * <p>Safe to repeat for a page whose starts were interrupted: a lead activated before keeps its
   * due time (which its running sequence may already wait for) and gets no second events.
   *
   * @return one activation per lead found, in ID order
   */
  @Transactional
  public List<Activation> activateForStart(
      long clientId,
      long campaignId,
      java.util.Collection<Long> enrolmentIds,
      int stepCount,
      long firstDelaySeconds,
      Instant now) {
    if (enrolmentIds.isEmpty()) {
      return List.of();
    }
    OffsetDateTime due =
        OffsetDateTime.ofInstant(now.plusSeconds(firstDelaySeconds), ZoneOffset.UTC);
    List<Object[]> rows =
        jdbc.sql(
                "with picked as (select id, status, next_send_at from enrolments"
                    + " where client_id = :client and campaign_id = :campaign and id in (:leads)"
                    + " for update)"
                    + " update enrolments e set status = 'ACTIVE',"
                    + " next_send_at = case when picked.status = 'ACTIVE'"
                    + " then coalesce(picked.next_send_at, :due) else :due end,"
                    + " last_outcome = 'SCHEDULED step 1', updated_at = now()"
                    + " from picked where e.client_id = :client and e.id = picked.id"
                    + " and picked.status not in "
                    + TERMINAL_SQL
                    + " returning e.id, e.next_send_at, picked.status <> 'ACTIVE' as fresh")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("leads", enrolmentIds)
            .param("due", due)
            .query(
                (rs, n) ->
                    new Object[] {
                      rs.getLong("id"),
                      rs.getObject("next_send_at", OffsetDateTime.class).toInstant(),
                      rs.getBoolean("fresh")
                    })
            .list();
    java.util.Map<Long, Instant> activated = new java.util.HashMap<>();
    List<Long> fresh = new ArrayList<>();
    for (Object[] row : rows) {
      activated.put((Long) row[0], (Instant) row[1]);
      if ((Boolean) row[2]) {
        fresh.add((Long) row[0]);
      }
    }
    if (!fresh.isEmpty()) {
      // The same events, in the same order, as the sequence's own begin and first schedule.
      timeline.appendToEach(
          clientId,
          fresh,
          TimelineEvent.STARTED,
          0,
          "sequence started with " + stepCount + " steps");
      timeline.appendToEach(
          clientId, fresh, TimelineEvent.SCHEDULED, 1, "step 1 due in " + firstDelaySeconds + "s");
    }
    List<Activation> result = new ArrayList<>();
    jdbc.sql(
            "select id, status from enrolments"
                + " where client_id = :client and campaign_id = :campaign and id in (:leads)"
                + " order by id")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("leads", enrolmentIds)
        .query(
            (rs, n) -> {
              long id = rs.getLong("id");
              result.add(new Activation(id, rs.getString("status"), activated.get(id)));
              return id;
            })
        .list();
    return result;
  }

  /**
   * The lead's next send time when its last outcome is {@code lastOutcome} (e.g. {@code SCHEDULED
   * step 3}): what an earlier send of the previous step recorded, for a retry that finds the step
   * already sent.
   */
  public Optional<Instant> nextSendAtIf(
      long clientId, long campaignId, long enrolmentId, String lastOutcome) {
    return jdbc.sql(
            "select next_send_at from enrolments"
                + " where client_id = :client and campaign_id = :campaign and id = :lead"
                + " and last_outcome = :outcome and next_send_at is not null")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .param("outcome", lastOutcome)
        .query(OffsetDateTime.class)
        .optional()
        .map(OffsetDateTime::toInstant);
  }

  /**
   * Records the sequence's progress. Applied only while the enrolment is not terminal; returns
   * whether it was. The current step never goes backwards.
   *
   * @param nextSendAt when the next step is due, or {@code null}
   */
  public boolean recordProgress(
      long clientId,
      long campaignId,
      long enrolmentId,
      String status,
      int currentStep,
      Instant nextSendAt,
      String lastOutcome) {
    return jdbc.sql(
                "update enrolments set status = :status,"
                    + " current_step = greatest(current_step, :step), next_send_at = :next,"
                    + " last_outcome = :outcome, updated_at = now()"
                    + " where client_id = :client and campaign_id = :campaign and id = :lead"
                    + " and status not in "
                    + TERMINAL_SQL)
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .param("status", status)
            .param("step", currentStep)
            .param(
                "next",
                nextSendAt == null ? null : OffsetDateTime.ofInstant(nextSendAt, ZoneOffset.UTC))
            .param("outcome", lastOutcome)
            .update()
        == 1;
  }

  /**
   * Records that step {@code stepIndex} waits until {@code until} (send window closed, or no
   * mailbox capacity before then): the lead's {@code next_send_at} and last outcome, and a {@code
   * DEFERRED} timeline event (not repeated when a retry records the same deferral). Changes nothing
   * on a terminal enrolment.
   */
  @org.springframework.transaction.annotation.Transactional
  public boolean recordDeferral(
      long clientId, long campaignId, long enrolmentId, int stepIndex, Instant until, String why) {
    boolean changed =
        jdbc.sql(
                    "update enrolments set next_send_at = :next, last_outcome = :outcome,"
                        + " updated_at = now()"
                        + " where client_id = :client and campaign_id = :campaign and id = :lead"
                        + " and status not in "
                        + TERMINAL_SQL)
                .param("client", clientId)
                .param("campaign", campaignId)
                .param("lead", enrolmentId)
                .param("next", OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
                .param("outcome", "DEFERRED step " + stepIndex)
                .update()
            == 1;
    if (changed) {
      timeline.appendUnlessRepeated(clientId, enrolmentId, TimelineEvent.DEFERRED, stepIndex, why);
    }
    return changed;
  }

  /**
   * Ends a lead whose address is on the client's suppression list: {@code UNSUBSCRIBED}, with a
   * {@code SUPPRESSED} timeline event, unless it has ended already. Idempotent: a retry changes
   * nothing and appends no second event.
   *
   * @return whether the status changed
   */
  @Transactional
  public boolean markSuppressed(long clientId, long campaignId, long enrolmentId, String detail) {
    boolean changed =
        jdbc.sql(
                    "update enrolments set status = 'UNSUBSCRIBED', next_send_at = null,"
                        + " last_outcome = 'SUPPRESSED', updated_at = now()"
                        + " where client_id = :client and campaign_id = :campaign and id = :lead"
                        + " and status in "
                        + NON_TERMINAL_SQL)
                .param("client", clientId)
                .param("campaign", campaignId)
                .param("lead", enrolmentId)
                .update()
            == 1;
    if (changed) {
      timeline.appendUnlessRepeated(clientId, enrolmentId, TimelineEvent.SUPPRESSED, 0, detail);
    }
    return changed;
  }

  /**
   * Up to {@code limit} enrolments of the campaign whose sequence was not started, with an ID above
   * {@code afterId}, in ID order.
   */
  public List<Long> pending(long clientId, long campaignId, long afterId, int limit) {
    return jdbc.sql(
            "select id from enrolments"
                + " where client_id = :client and campaign_id = :campaign and started_at is null"
                + " and id > :after order by id limit :limit")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("after", afterId)
        .param("limit", limit)
        .query(Long.class)
        .list();
  }

  /** Marks the enrolment's sequence started (once: a later call keeps the first time). */
  public boolean markStarted(long clientId, long campaignId, long enrolmentId) {
    return jdbc.sql(
                "update enrolments set started_at = coalesce(started_at, now()), updated_at = now()"
                    + " where client_id = :client and campaign_id = :campaign and id = :lead")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .update()
        == 1;
  }

  /**
   * Marks several enrolments' sequences started in one statement; returns how many rows changed.
   */
  public int markStarted(long clientId, long campaignId, java.util.Collection<Long> enrolmentIds) {
    if (enrolmentIds.isEmpty()) {
      return 0;
    }
    return jdbc.sql(
            "update enrolments set started_at = coalesce(started_at, now()), updated_at = now()"
                + " where client_id = :client and campaign_id = :campaign and id in (:leads)")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("leads", enrolmentIds)
        .update();
  }

  /**
   * For a stopped campaign: marks up to {@code limit} not-started enrolments started and, unless
   * already terminal, {@code STOPPED} with a timeline event, without starting any sequence. Rows
   * that a concurrent call holds are skipped rather than waited for. Returns the IDs it handled, in
   * order.
   */
  @Transactional
  public List<Long> stopPending(long clientId, long campaignId, int limit, String detail) {
    List<Picked> picked =
        jdbc.sql(
                "with picked as ( select id, status from enrolments where client_id = :client and"
                    + " campaign_id = :campaign and started_at is null order by id limit :limit for"
                    + " update skip locked) update enrolments e set started_at = now(), updated_at"
                    + " = now(), status = case when e.status in "
                    + TERMINAL_SQL
                    + " then e.status else 'STOPPED' end"
                    + " from picked where e.client_id = :client and e.id = picked.id"
                    + " returning e.id, picked.status in "
                    + TERMINAL_SQL
                    + " as was_terminal")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("limit", limit)
            .query((rs, n) -> new Picked(rs.getLong("id"), rs.getBoolean("was_terminal")))
            .list();
    List<Long> ids = new ArrayList<>(picked.size());
    for (Picked row : picked) {
      ids.add(row.id());
      if (!row.wasTerminal()) {
        timeline.append(clientId, row.id(), TimelineEvent.STOPPED, 0, detail);
      }
    }
    // RETURNING gives no order; callers page by the highest ID.
    ids.sort(null);
    return ids;
  }

  /**
   * Up to {@code limit} enrolments of the campaign with a started, unfinished sequence and an ID
   * above {@code afterId}, in ID order: the ones a campaign-wide pause, resume or stop is sent to.
   */
  public List<Long> running(long clientId, long campaignId, long afterId, int limit) {
    return jdbc.sql(
            "select id from enrolments"
                + " where client_id = :client and campaign_id = :campaign"
                + " and started_at is not null and status not in "
                + TERMINAL_SQL
                + " and id > :after order by id limit :limit")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("after", afterId)
        .param("limit", limit)
        .query(Long.class)
        .list();
  }
}
