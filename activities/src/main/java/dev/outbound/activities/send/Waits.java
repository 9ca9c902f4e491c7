package dev.outbound.activities.send;

import dev.outbound.activities.metrics.DeferralReason;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The two ways a step waits without being sent, answered the same way wherever the script finds
 * them: for an operator (the mailbox cannot send) or until a time (a window, a cap, a gap). Nothing
 * is claimed in either case, or the claim was released.
 */
@Component
class Waits {

  private static final Logger log = LoggerFactory.getLogger(Waits.class);

  private final EnrolmentStore enrolments;
  private final OutboundMetrics metrics;

  Waits(EnrolmentStore enrolments, OutboundMetrics metrics) {
    this.enrolments = enrolments;
    this.metrics = metrics;
  }

  /**
   * The lead waits for an operator: its mailbox cannot send. The workflow writes the {@code HELD}
   * timeline event with this reason, as for a template that cannot be rendered, so nothing is
   * written here.
   *
   * @param problem what is wrong with the mailbox, without personal data
   * @return the answer to throw
   */
  StepAnswer untilMailboxFixed(SendContext context, String problem) {
    metrics.deferred(DeferralReason.MAILBOX_PROBLEM);
    String reason = problem + "; fix the mailbox, then resume";
    log.warn(
        "Step {} of lead {} (campaign {}) held: {}",
        context.stepIndex(),
        context.enrolmentId(),
        context.campaignId(),
        reason);
    return new StepAnswer(SendResult.of(SendOutcome.HELD, null, reason));
  }

  /**
   * The step may go out at {@code until}: the lead's {@code next_send_at} and a {@code DEFERRED}
   * timeline event say until when and why, and the workflow waits for that instant (recorded in its
   * history as the activity's result). The caller counts the deferral by its own reason.
   *
   * @return the answer to throw
   */
  StepAnswer until(SendContext context, Instant until, String why) {
    enrolments.recordDeferral(
        context.clientId(),
        context.campaignId(),
        context.enrolmentId(),
        context.stepIndex(),
        until,
        why);
    log.info(
        "Step {} of lead {} (campaign {}) deferred until {}: {}",
        context.stepIndex(),
        context.enrolmentId(),
        context.campaignId(),
        until,
        why);
    return new StepAnswer(
        SendResult.deferred(
            until.toEpochMilli(), "step " + context.stepIndex() + " deferred: " + why));
  }
}
