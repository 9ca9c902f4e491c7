package dev.outbound.activities.send;

import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.activities.send.FaultInjection.HaltPoint;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.crm.sequence.SendLedgerStore.FollowUp;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Records a step that SMTP accepted: the ledger row {@code SENT}, the {@code SENT} timeline event
 * and, for {@code sendStepAndSchedule}, the next step's due time or the lead's completion, all in
 * one transaction. It also answers a step found sent already with the due time recorded with it.
 */
@Component
class SentRecorder {

  private static final Logger log = LoggerFactory.getLogger(SentRecorder.class);

  /**
   * How long after an attempt started it keeps trying to record an accepted send: below the send
   * activity's 5-minute start-to-close timeout (LeadSequenceWorkflowImpl), with room for the last
   * try.
   */
  static final Duration COMMIT_BUDGET = Duration.ofSeconds(270);

  private final SendLedgerStore ledger;
  private final EnrolmentStore enrolments;
  private final TimelineStore timeline;
  private final MailboxCapacityStore capacity;
  private final OutboundMetrics metrics;
  private final FaultInjection faults;
  private final Clock clock;

  SentRecorder(
      SendLedgerStore ledger,
      EnrolmentStore enrolments,
      TimelineStore timeline,
      MailboxCapacityStore capacity,
      OutboundMetrics metrics,
      FaultInjection faults,
      Clock clock) {
    this.ledger = ledger;
    this.enrolments = enrolments;
    this.timeline = timeline;
    this.capacity = capacity;
    this.metrics = metrics;
    this.faults = faults;
    this.clock = clock;
  }

  /**
   * Records the accepted send, with the follow-up of {@code plan} when there is one, and answers
   * {@link SendOutcome#SENT} with the next step's due time when it was recorded.
   *
   * @param started when the attempt started ({@link System#nanoTime}), for the commit budget
   */
  SendResult sent(SendContext context, Sender sender, FollowUpPlan plan, long started) {
    // In milliseconds, like the workflow's timer: the lead's next_send_at is exactly what it waits
    // for.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    FollowUp followUp = plan == null ? null : plan.followUp(context.stepIndex(), now);
    boolean recorded = record(context, sender, started, followUp);
    metrics.emailSent(sender.mailboxId());
    faults.reached(HaltPoint.AFTER_COMMIT);
    if (!recorded) {
      log.warn(
          "Step {} of lead {} (campaign {}) was sent but its claim was gone when marking it sent",
          context.stepIndex(),
          context.enrolmentId(),
          context.campaignId());
    }
    log.info(
        "Sent step {} of lead {} (campaign {}) from mailbox {}",
        context.stepIndex(),
        context.enrolmentId(),
        context.campaignId(),
        sender.mailboxId());
    SendResult sent =
        SendResult.of(
            SendOutcome.SENT, sender.messageId(), "sent from mailbox " + sender.mailboxId());
    if (followUp == null || !recorded) {
      // Nothing recorded beyond the send: the workflow schedules the next step itself.
      return sent;
    }
    if (followUp.nextSendAt() == null) {
      // The lead completed: a slot it still held for nothing goes back to the mailbox.
      capacity.releaseAllOf(context.clientId(), context.enrolmentId());
      return sent;
    }
    return sent.withNextDueAt(followUp.nextSendAt().toEpochMilli());
  }

  /**
   * A step found sent already (a retry after the send committed, or a step an operator marked
   * sent): the next step's due time an earlier attempt recorded with the send, or, when none did,
   * the follow-up recorded now (each write is conditional, so a repeat adds nothing).
   */
  SendResult afterAlreadySent(LeadRef lead, int stepIndex, FollowUpPlan plan, SendResult result) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    FollowUp followUp = plan.followUp(stepIndex, now);
    if (plan.next() != null) {
      Optional<Instant> recorded =
          enrolments.nextSendAtIf(
              lead.clientId(), lead.campaignId(), lead.leadId(), followUp.lastOutcome());
      if (recorded.isPresent()) {
        return result.withNextDueAt(recorded.get().toEpochMilli());
      }
    }
    boolean applied =
        enrolments.recordProgress(
            lead.clientId(),
            lead.campaignId(),
            lead.leadId(),
            followUp.status(),
            stepIndex,
            followUp.nextSendAt(),
            followUp.lastOutcome());
    if (applied) {
      timeline.appendUnlessRepeated(
          lead.clientId(),
          lead.leadId(),
          followUp.event(),
          followUp.eventStep(),
          followUp.eventDetail());
    }
    if (plan.next() == null) {
      capacity.releaseAllOf(lead.clientId(), lead.leadId());
      return result;
    }
    return applied ? result.withNextDueAt(followUp.nextSendAt().toEpochMilli()) : result;
  }

  /**
   * Records a send that SMTP accepted. This process knows the email went out, so a database that is
   * down now is waited for (with backoff, while the activity heartbeats) rather than given up on: a
   * retry by another attempt could only call the step ambiguous. The wait ends before the
   * activity's start-to-close timeout; only then does the failure propagate (and a later attempt
   * flags the step ambiguous, as after a crash at this point).
   */
  private boolean record(SendContext context, Sender sender, long started, FollowUp followUp) {
    long giveUpAt = started + COMMIT_BUDGET.toNanos();
    long pause = 500;
    int step = context.stepIndex();
    String outcome = "SENT step " + step;
    String detail = "mailbox " + sender.mailboxId() + ", Message-ID " + sender.messageId();
    while (true) {
      try {
        return followUp == null
            ? ledger.recordSent(
                context.clientId(),
                context.campaignId(),
                context.enrolmentId(),
                step,
                outcome,
                detail)
            : ledger.recordSent(
                context.clientId(),
                context.campaignId(),
                context.enrolmentId(),
                step,
                outcome,
                detail,
                followUp);
      } catch (DataAccessException | TransactionException e) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > giveUpAt) {
          throw e;
        }
        log.warn(
            "Step {} of lead {} (campaign {}) was accepted by SMTP; recording it failed, retrying"
                + " in {} ms: {}",
            step,
            context.enrolmentId(),
            context.campaignId(),
            pause,
            e.getMessage());
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause = Math.min(pause * 2, 10_000);
      }
    }
  }
}
