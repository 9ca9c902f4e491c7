package dev.outbound.crm.sequence;

import dev.outbound.crm.TimelineStore;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The send ledger: one row per (campaign, lead, step), claimed under a unique constraint before
 * SMTP is spoken to (docs/architecture.md, "The guarantees and how the code delivers them"). The
 * database decides a race between two claims, not the caller.
 */
@Repository
public class SendLedgerStore {

  private final JdbcClient jdbc;
  private final TimelineStore timeline;

  public SendLedgerStore(JdbcClient jdbc, TimelineStore timeline) {
    this.jdbc = jdbc;
    this.timeline = timeline;
  }

  /** The ledger row of the step, if it was ever claimed. */
  public Optional<LedgerEntry> find(
      long clientId, long campaignId, long enrolmentId, int stepIndex) {
    return jdbc.sql(
            "select id, step_index, mailbox_id, message_id, status, error, content_started"
                + " from send_ledger"
                + " where client_id = :client and campaign_id = :campaign"
                + " and enrolment_id = :lead and step_index = :step")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .param("step", stepIndex)
        .query(
            (rs, n) ->
                new LedgerEntry(
                    rs.getInt("step_index"),
                    rs.getLong("mailbox_id"),
                    rs.getString("message_id"),
                    LedgerStatus.valueOf(rs.getString("status")),
                    rs.getString("error"),
                    rs.getLong("id"),
                    rs.getBoolean("content_started")))
        .optional();
  }

  /**
   * Claims the step with status {@code SENDING}, but only while the enrolment is not terminal and
   * its campaign is {@code ACTIVE}: the status check and the insert are one statement, so a stop or
   * a pause committed before the claim always wins, however long ago the caller read the statuses.
   * Returns the claim's ID, or empty when nothing was inserted: the step was already claimed (by
   * this or any earlier attempt), the lead or the campaign no longer allows sending, or the
   * enrolment is not this client's campaign's. The caller then re-reads the row and the statuses
   * and acts on what it finds.
   *
   * <p>The claim starts with {@code content_started = false}: until {@link #markContentStarted},
   * nothing of it can have reached an SMTP server.
   */
  public OptionalLong claim(
      long clientId,
      long campaignId,
      long enrolmentId,
      int stepIndex,
      long mailboxId,
      String messageId) {
    return claim(clientId, campaignId, enrolmentId, stepIndex, mailboxId, messageId, null);
  }

  /** {@link #claim(long, long, long, int, long, String)}, recording the A/B variant sent. */
  public OptionalLong claim(
      long clientId,
      long campaignId,
      long enrolmentId,
      int stepIndex,
      long mailboxId,
      String messageId,
      String variant) {
    return jdbc.sql(
            "insert into send_ledger"
                + " (client_id, campaign_id, enrolment_id, step_index, mailbox_id, message_id,"
                + " status, content_started, variant)"
                + " select e.client_id, e.campaign_id, e.id, :step, :mailbox, :messageId,"
                + " 'SENDING', false, :variant from enrolments e"
                + " join campaigns c on c.client_id = e.client_id and c.id = e.campaign_id"
                + " where e.client_id = :client and e.campaign_id = :campaign and e.id = :lead"
                + " and e.status not in "
                + EnrolmentStore.TERMINAL_SQL
                + " and c.status = 'ACTIVE'"
                + " on conflict do nothing returning id")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .param("step", stepIndex)
        .param("mailbox", mailboxId)
        .param("messageId", messageId)
        .param("variant", variant)
        .query(Long.class)
        .optional()
        .map(OptionalLong::of)
        .orElse(OptionalLong.empty());
  }

  /**
   * Notes that the claim {@code claimId} is about to hand its email's content to SMTP; called right
   * before the content is written. Returns false when the claim is no longer this attempt's (a
   * retry took the step over, or it was marked): the caller must then not send.
   */
  public boolean markContentStarted(long clientId, long claimId) {
    return jdbc.sql(
                "update send_ledger set content_started = true"
                    + " where client_id = :client and id = :claim and status = 'SENDING'")
            .param("client", clientId)
            .param("claim", claimId)
            .update()
        == 1;
  }

  /**
   * Records that SMTP accepted the step, in one transaction: the ledger row becomes {@code SENT},
   * the enrolment's current step and last outcome follow, and the timeline gets a {@code SENT}
   * event. A row that a concurrent retry flagged {@code AMBIGUOUS} meanwhile is corrected to {@code
   * SENT}: the server said it took the email. Returns false (and changes nothing) when there is no
   * claim to mark.
   */
  @Transactional
  public boolean recordSent(
      long clientId,
      long campaignId,
      long enrolmentId,
      int stepIndex,
      String lastOutcome,
      String timelineDetail) {
    int marked =
        jdbc.sql(
                "update send_ledger set status = 'SENT', sent_at = now(), error = null"
                    + " where client_id = :client and campaign_id = :campaign"
                    + " and enrolment_id = :lead and step_index = :step"
                    + " and status in ('SENDING', 'AMBIGUOUS')")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .param("step", stepIndex)
            .update();
    if (marked == 0) {
      return false;
    }
    jdbc.sql(
            "update enrolments set current_step = greatest(current_step, :step),"
                + " last_outcome = :outcome, updated_at = now()"
                + " where client_id = :client and campaign_id = :campaign and id = :lead")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .param("step", stepIndex)
        .param("outcome", lastOutcome)
        .update();
    timeline.append(clientId, enrolmentId, TimelineEvent.SENT, stepIndex, timelineDetail);
    return true;
  }

  /**
   * What the transaction that records a send also records about the sequence, so that an email
   * costs one activity (the send) instead of a send and a CRM write: the next step scheduled, or
   * the lead completed after its last step.
   *
   * @param status the lead's status afterwards ({@code ACTIVE}, or {@code COMPLETED})
   * @param nextSendAt when the next step is due, or {@code null} after the last step
   * @param lastOutcome the lead's last outcome, e.g. {@code SCHEDULED step 3}
   * @param event the timeline event ({@code SCHEDULED} or {@code COMPLETED})
   * @param eventStep the step the event is about
   * @param eventDetail the event's detail, without personal data
   */
  public record FollowUp(
      String status,
      Instant nextSendAt,
      String lastOutcome,
      TimelineEvent event,
      int eventStep,
      String eventDetail) {}

  /**
   * {@link #recordSent(long, long, long, int, String, String)} and, in the same transaction, the
   * {@code followUp}: the enrolment's status, current step and next send time with its timeline
   * event, unless the enrolment became terminal meanwhile (a reply recorded while the email went
   * out keeps its status, and no "scheduled" follows it). Returns false, and changes nothing, when
   * there is no claim to mark.
   */
  @Transactional
  public boolean recordSent(
      long clientId,
      long campaignId,
      long enrolmentId,
      int stepIndex,
      String lastOutcome,
      String timelineDetail,
      FollowUp followUp) {
    if (!recordSent(clientId, campaignId, enrolmentId, stepIndex, lastOutcome, timelineDetail)) {
      return false;
    }
    int applied =
        jdbc.sql(
                "update enrolments set status = :status,"
                    + " current_step = greatest(current_step, :step), next_send_at = :next,"
                    + " last_outcome = :outcome, updated_at = now()"
                    + " where client_id = :client and campaign_id = :campaign and id = :lead"
                    + " and status not in "
                    + EnrolmentStore.TERMINAL_SQL)
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .param("status", followUp.status())
            .param("step", stepIndex)
            .param(
                "next",
                followUp.nextSendAt() == null
                    ? null
                    : OffsetDateTime.ofInstant(followUp.nextSendAt(), ZoneOffset.UTC))
            .param("outcome", followUp.lastOutcome())
            .update();
    if (applied == 1) {
      timeline.append(
          clientId, enrolmentId, followUp.event(), followUp.eventStep(), followUp.eventDetail());
    }
    return true;
  }

  /**
   * Flags an unfinished claim as {@code AMBIGUOUS}. Returns true only for the call that changed it,
   * so the caller adds one timeline event however often it is retried.
   */
  public boolean markAmbiguous(
      long clientId, long campaignId, long enrolmentId, int stepIndex, String why) {
    return jdbc.sql(
                "update send_ledger set status = 'AMBIGUOUS', error = :why"
                    + " where client_id = :client and campaign_id = :campaign"
                    + " and enrolment_id = :lead and step_index = :step and status = 'SENDING'")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .param("step", stepIndex)
            .param("why", why)
            .update()
        == 1;
  }

  /**
   * An operator confirmed that an {@code AMBIGUOUS} step was delivered (the mailbox's Sent folder,
   * a reply): it becomes {@code SENT}, with a timeline event, in one transaction. Returns false,
   * and changes nothing, when the step is not ambiguous.
   */
  @Transactional
  public boolean confirmAmbiguousSent(
      long clientId, long campaignId, long enrolmentId, int stepIndex) {
    boolean changed =
        jdbc.sql(
                    "update send_ledger set status = 'SENT', sent_at = coalesce(sent_at, claimed_at)"
                        + " where client_id = :client and campaign_id = :campaign"
                        + " and enrolment_id = :lead and step_index = :step"
                        + " and status = 'AMBIGUOUS'")
                .param("client", clientId)
                .param("campaign", campaignId)
                .param("lead", enrolmentId)
                .param("step", stepIndex)
                .update()
            == 1;
    if (changed) {
      timeline.append(
          clientId,
          enrolmentId,
          TimelineEvent.AMBIGUOUS_RESOLVED,
          stepIndex,
          "an operator confirmed it was sent");
    }
    return changed;
  }

  /**
   * An operator allows one resend of an ambiguous step: the ambiguous claim is removed (its
   * Message-ID and the reason stay on the lead's timeline), so the lead's next send attempt claims
   * the step afresh and sends it, with the same Message-ID, once. Should that attempt end ambiguous
   * again, it is flagged again and needs a new decision. Returns false (and changes nothing) when
   * the step is not ambiguous.
   */
  @Transactional
  public boolean allowAmbiguousResend(
      long clientId, long campaignId, long enrolmentId, int stepIndex) {
    Optional<LedgerEntry> entry = find(clientId, campaignId, enrolmentId, stepIndex);
    if (entry.isEmpty() || entry.get().status() != LedgerStatus.AMBIGUOUS) {
      return false;
    }
    boolean removed =
        jdbc.sql(
                    "delete from send_ledger"
                        + " where client_id = :client and campaign_id = :campaign"
                        + " and enrolment_id = :lead and step_index = :step"
                        + " and status = 'AMBIGUOUS'")
                .param("client", clientId)
                .param("campaign", campaignId)
                .param("lead", enrolmentId)
                .param("step", stepIndex)
                .update()
            == 1;
    if (removed) {
      timeline.append(
          clientId,
          enrolmentId,
          TimelineEvent.RESEND_ALLOWED,
          stepIndex,
          "an operator allowed one resend of Message-ID " + entry.get().messageId());
    }
    return removed;
  }

  /**
   * Marks a claim {@code FAILED} (a permanent rejection) with an error free of personal data.
   * Returns true when it changed the row.
   */
  public boolean markFailed(
      long clientId, long campaignId, long enrolmentId, int stepIndex, String error) {
    return jdbc.sql(
                "update send_ledger set status = 'FAILED', error = :error"
                    + " where client_id = :client and campaign_id = :campaign"
                    + " and enrolment_id = :lead and step_index = :step"
                    + " and status in ('SENDING', 'AMBIGUOUS')")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .param("step", stepIndex)
            .param("error", error)
            .update()
        == 1;
  }

  /**
   * Deletes the {@code SENDING} claim {@code claimId} after a failure that certainly sent nothing
   * (e.g. the server was unreachable), so that a retry can claim and send. Only this claim: a row
   * in any other state, or one that another attempt claimed meanwhile, stays.
   */
  public boolean release(long clientId, long claimId) {
    return jdbc.sql(
                "delete from send_ledger"
                    + " where client_id = :client and id = :claim and status = 'SENDING'")
            .param("client", clientId)
            .param("claim", claimId)
            .update()
        == 1;
  }

  /**
   * Deletes the step's claim if it is {@code SENDING} and never handed content to SMTP ({@code
   * content_started = false}): an attempt that died (or whose {@link #release} failed) before the
   * content went out, so nothing can have been delivered and the step may be claimed and sent
   * again. Returns false when there was no such row, e.g. because the claim's attempt marked its
   * content started first: the database decides that race.
   */
  public boolean releaseUnstarted(long clientId, long campaignId, long enrolmentId, int stepIndex) {
    return jdbc.sql(
                "delete from send_ledger where client_id = :client and campaign_id = :campaign"
                    + " and enrolment_id = :lead and step_index = :step and status = 'SENDING'"
                    + " and not content_started")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("lead", enrolmentId)
            .param("step", stepIndex)
            .update()
        == 1;
  }

  /**
   * The Message-IDs of the steps before {@code stepIndex} that went out (or may have: ambiguous),
   * in step order, for a follow-up's {@code In-Reply-To} and {@code References}.
   */
  public List<String> earlierMessageIds(
      long clientId, long campaignId, long enrolmentId, int stepIndex) {
    return jdbc.sql(
            "select message_id from send_ledger"
                + " where client_id = :client and campaign_id = :campaign"
                + " and enrolment_id = :lead and step_index < :step"
                + " and status in ('SENT', 'AMBIGUOUS') order by step_index")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .param("step", stepIndex)
        .query(String.class)
        .list();
  }

  /**
   * The highest step that went out or may have ({@code SENT} or {@code AMBIGUOUS}), 0 when none: a
   * sequence that starts again continues after it and never re-sends it.
   */
  public int lastSentStep(long clientId, long campaignId, long enrolmentId) {
    return jdbc.sql(
            "select coalesce(max(step_index), 0) from send_ledger"
                + " where client_id = :client and campaign_id = :campaign"
                + " and enrolment_id = :lead and status in ('SENT', 'AMBIGUOUS')")
        .param("client", clientId)
        .param("campaign", campaignId)
        .param("lead", enrolmentId)
        .query(Integer.class)
        .single();
  }
}
