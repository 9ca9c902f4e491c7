package dev.outbound.activities.send;

import dev.outbound.activities.ActivityFailures;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.activities.alerts.OperatorAlerts;
import dev.outbound.activities.metrics.DeferralReason;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.workflows.FailureType;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import io.temporal.failure.ApplicationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Settles a step that did not end in a recorded send. Whose problem it is decides: the recipient's
 * (a 5xx to RCPT TO or DATA, an unusable address) fails the step for good; the sending mailbox's
 * (credentials, sender rejected, quota) releases the claim and holds the lead for an operator; a
 * passing one releases the claim for Temporal's retry; and a send that may have gone out is flagged
 * ambiguous and never sent again silently. Each flag is written once however often an attempt is
 * retried, and only the flags that changed a row add a timeline event.
 */
@Component
class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private final SendLedgerStore ledger;
  private final MailboxCapacityStore capacity;
  private final TimelineStore timeline;
  private final MailboxPauses mailboxPauses;
  private final OutboundMetrics metrics;
  private final OperatorAlerts alerts;
  private final Waits waits;

  Failures(
      SendLedgerStore ledger,
      MailboxCapacityStore capacity,
      TimelineStore timeline,
      MailboxPauses mailboxPauses,
      OutboundMetrics metrics,
      OperatorAlerts alerts,
      Waits waits) {
    this.ledger = ledger;
    this.capacity = capacity;
    this.timeline = timeline;
    this.mailboxPauses = mailboxPauses;
    this.metrics = metrics;
    this.alerts = alerts;
    this.waits = waits;
  }

  /**
   * What to throw after SMTP did not take the email of claim {@code claimId}: the failure that ends
   * the step, the answer that holds the lead or flags the step ambiguous, or the exception that
   * makes Temporal retry.
   */
  RuntimeException afterSmtp(
      SendContext context, Sender sender, long claimId, SmtpFailure failure) {
    String why = failure.getMessage();
    long mailboxId = sender.mailboxId();
    switch (failure.kind()) {
      case PERMANENT -> {
        return failed(context, mailboxId, FailureType.SMTP_PERMANENT, why);
      }
      case INVALID_ADDRESS -> {
        return failed(context, mailboxId, FailureType.INVALID_ADDRESS, why);
      }
      case AMBIGUOUS -> {
        return new StepAnswer(ambiguous(context, mailboxId, sender.messageId(), why));
      }
      case MAILBOX -> {
        // Nothing was sent, and the lead is not at fault: free the step for after the fix.
        ledger.release(context.clientId(), claimId);
        capacity.release(
            context.clientId(), context.campaignId(), context.enrolmentId(), context.stepIndex());
        if (failure.pauseReason() != null) {
          // Every other lead of the mailbox would fail the same way: stop them all at once.
          mailboxPauses.pause(context.clientId(), mailboxId, failure.pauseReason());
        }
        return waits.untilMailboxFixed(context, "mailbox " + mailboxId + ": " + why);
      }
      default -> {
        ledger.release(context.clientId(), claimId);
        metrics.deferred(DeferralReason.TRANSIENT_SMTP);
        log.warn(
            "Step {} of lead {} (campaign {}) not sent from mailbox {}, will retry: {}",
            context.stepIndex(),
            context.enrolmentId(),
            context.campaignId(),
            mailboxId,
            why);
        return new TransientSendException(
            "step " + context.stepIndex() + " not sent from mailbox " + mailboxId + ": " + why);
      }
    }
  }

  /**
   * Flags the step ambiguous (once, however often this runs) and sends nothing: by policy an email
   * that may have gone out is never sent again silently; an operator looks at it.
   */
  SendResult ambiguous(SendContext context, long mailboxId, String messageId, String why) {
    int step = context.stepIndex();
    if (ledger.markAmbiguous(
        context.clientId(), context.campaignId(), context.enrolmentId(), step, why)) {
      metrics.ambiguousSend(mailboxId);
      alerts.ambiguousSend(
          context.clientId(), context.campaignId(), context.enrolmentId(), step, mailboxId);
      timeline.append(
          context.clientId(),
          context.enrolmentId(),
          TimelineEvent.AMBIGUOUS,
          step,
          "mailbox "
              + mailboxId
              + ", Message-ID "
              + messageId
              + ": "
              + why
              + "; not sent again, check the mailbox's sent folder");
      log.warn(
          "Step {} of lead {} (campaign {}) is ambiguous: {}",
          step,
          context.enrolmentId(),
          context.campaignId(),
          why);
    }
    return SendResult.of(
        SendOutcome.AMBIGUOUS, messageId, "step " + step + " is ambiguous: " + why);
  }

  /** Marks the claim failed (once), notes it on the timeline, and returns the failure to throw. */
  ApplicationFailure failed(SendContext context, long mailboxId, FailureType type, String why) {
    int step = context.stepIndex();
    String error = type.name() + ": " + why;
    metrics.emailFailed(mailboxId, type.name());
    if (ledger.markFailed(
        context.clientId(), context.campaignId(), context.enrolmentId(), step, error)) {
      timeline.append(
          context.clientId(), context.enrolmentId(), TimelineEvent.SEND_FAILED, step, error);
    }
    log.warn(
        "Step {} of lead {} (campaign {}) failed permanently: {}",
        step,
        context.enrolmentId(),
        context.campaignId(),
        error);
    return ActivityFailures.nonRetryable(type, "step " + step + " failed: " + error);
  }
}
