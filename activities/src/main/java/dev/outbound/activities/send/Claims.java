package dev.outbound.activities.send;

import dev.outbound.activities.ActivityFailures;
import dev.outbound.activities.send.FaultInjection.HaltPoint;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.capacity.Reservation;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.LedgerEntry;
import dev.outbound.crm.sequence.LedgerStatus;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.workflows.FailureType;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The send ledger's side of a step: one send per (lead, step), ever. Before anything is rendered,
 * {@link #requireUnclaimed} answers a step that an earlier attempt claimed; after every check,
 * {@link #claim} inserts the claim under the ledger's unique key, in one statement with the lead's
 * and the campaign's status, so the database decides a race with another attempt or with a stop.
 */
@Component
class Claims {

  private static final Logger log = LoggerFactory.getLogger(Claims.class);

  private final SendLedgerStore ledger;
  private final EnrolmentStore enrolments;
  private final MailboxCapacityStore capacity;
  private final Failures failures;
  private final FaultInjection faults;

  Claims(
      SendLedgerStore ledger,
      EnrolmentStore enrolments,
      MailboxCapacityStore capacity,
      Failures failures,
      FaultInjection faults) {
    this.ledger = ledger;
    this.enrolments = enrolments;
    this.capacity = capacity;
    this.failures = failures;
    this.faults = faults;
  }

  /**
   * Returns when the step has no claim (any more) and this attempt may claim and send. A claim left
   * {@code SENDING} without its content mark never reached SMTP (the attempt died, or its release
   * failed, before the content went out), so it is freed and sent again; one with the mark may have
   * been delivered and is flagged ambiguous. The delete is conditional on the mark, so an attempt
   * that is still running and marks first wins, and one that marks later finds its claim gone and
   * does not send.
   *
   * @throws StepAnswer with the earlier claim's outcome (sent, or ambiguous)
   * @throws io.temporal.failure.ApplicationFailure when the step was rejected permanently before
   */
  void requireUnclaimed(SendContext context) {
    for (int look = 0; look < 3; look++) {
      Optional<LedgerEntry> found =
          ledger.find(
              context.clientId(), context.campaignId(), context.enrolmentId(), context.stepIndex());
      if (found.isEmpty()) {
        return;
      }
      LedgerEntry entry = found.get();
      if (entry.status() != LedgerStatus.SENDING || entry.contentStarted()) {
        throw new StepAnswer(settled(context, entry));
      }
      if (ledger.releaseUnstarted(
          context.clientId(), context.campaignId(), context.enrolmentId(), context.stepIndex())) {
        log.info(
            "Step {} of lead {} (campaign {}) had a claim that never reached SMTP; sending again",
            context.stepIndex(),
            context.enrolmentId(),
            context.campaignId());
        return;
      }
      // The row changed between the read and the delete: look again.
    }
    throw new TransientSendException(
        "step " + context.stepIndex() + " claim keeps changing; retry");
  }

  /**
   * Claims the step for {@code sender} and spends its slot: from here on the step is claimed, and
   * every way out marks, releases or keeps the claim on purpose.
   *
   * @return the claim's ID
   * @throws StepAnswer when the claim inserted nothing because another attempt claimed the step or
   *     a stop or pause got in since the first read
   */
  long claim(SendContext context, Sender sender, Reservation slot) {
    faults.reached(HaltPoint.BEFORE_CLAIM);
    OptionalLong claimed = insert(context, sender);
    if (claimed.isEmpty()) {
      // Nothing inserted: the database decided; its rows say what to do.
      answerRefusedClaim(context);
      // An unfinished claim that never reached SMTP was freed: claim once more.
      claimed = insert(context, sender);
      if (claimed.isEmpty()) {
        throw new TransientSendException(
            "step " + context.stepIndex() + " could not be claimed; retry");
      }
    }
    // The slot is spent from here on: the send is under way (a failure that frees the claim frees
    // the slot too).
    capacity.markUsed(context.clientId(), slot.id());
    faults.reached(HaltPoint.AFTER_CLAIM);
    return claimed.getAsLong();
  }

  private OptionalLong insert(SendContext context, Sender sender) {
    return ledger.claim(
        context.clientId(),
        context.campaignId(),
        context.enrolmentId(),
        context.stepIndex(),
        sender.mailboxId(),
        sender.messageId(),
        context.variant());
  }

  /**
   * After a claim that inserted nothing: throws the earlier claim's outcome, or the stop or pause
   * that refused it, and returns when the step is free again (an unfinished claim was freed).
   */
  private void answerRefusedClaim(SendContext context) {
    requireUnclaimed(context);
    long client = context.clientId();
    String enrolmentStatus =
        enrolments.status(client, context.campaignId(), context.enrolmentId()).orElse(null);
    String campaignStatus = enrolments.campaignStatus(client, context.campaignId()).orElse(null);
    if (enrolmentStatus == null || campaignStatus == null) {
      throw ActivityFailures.notFound(
          "lead "
              + context.enrolmentId()
              + " of campaign "
              + context.campaignId()
              + " no longer exists");
    }
    SendResult stopped = StatusCheck.refusal(enrolmentStatus, campaignStatus);
    if (stopped != null) {
      log.info(
          "Step {} of lead {} (campaign {}) not claimed: {}",
          context.stepIndex(),
          context.enrolmentId(),
          context.campaignId(),
          stopped.detail());
      throw new StepAnswer(stopped);
    }
  }

  /** The answer for a step that was claimed before: by an earlier attempt, or by a racing one. */
  private SendResult settled(SendContext context, LedgerEntry entry) {
    int step = context.stepIndex();
    return switch (entry.status()) {
      case SENT ->
          SendResult.of(
              SendOutcome.ALREADY_SENT, entry.messageId(), "step " + step + " was already sent");
      case AMBIGUOUS ->
          SendResult.of(
              SendOutcome.AMBIGUOUS,
              entry.messageId(),
              "step " + step + " is ambiguous and is not sent again");
      case SENDING ->
          failures.ambiguous(
              context,
              entry.mailboxId(),
              entry.messageId(),
              "an earlier attempt handed it to SMTP and did not record the outcome");
      case FAILED ->
          throw ActivityFailures.nonRetryable(
              failureTypeOf(entry.error()),
              "step " + step + " was rejected permanently before: " + entry.error());
    };
  }

  /** The failure type a FAILED row was recorded with (its error starts with the type's name). */
  static FailureType failureTypeOf(String error) {
    if (error != null) {
      for (FailureType type : FailureType.values()) {
        if (error.startsWith(type.name() + ":")) {
          return type;
        }
      }
    }
    return FailureType.SMTP_PERMANENT;
  }
}
