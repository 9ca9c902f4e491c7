package dev.outbound.activities.send;

import dev.outbound.activities.ActivityFailures;
import dev.outbound.activities.Heartbeat;
import dev.outbound.crm.capacity.Reservation;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.sequence.SendContextStore;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SendActivities;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * See {@link SendActivities}. A send is a script over named parts (see {@link #send}), and the
 * order of its checks is the guarantee (docs/architecture.md, "Sending one step"). The step's
 * context (lead, campaign, step, client, and the lead's mailbox) is read once, in one statement,
 * before the first check; each check still decides at its place in this order:
 *
 * <ol>
 *   <li>the lead's and the campaign's status ({@link StatusCheck});
 *   <li>the ledger: one send per step, ever ({@link Claims#requireUnclaimed});
 *   <li>rendering: a broken template holds the lead before anything is claimed ({@link
 *       StepRenderer});
 *   <li>the mailbox: one that cannot send holds the lead before anything is claimed ({@link
 *       SenderCheck});
 *   <li>pacing: the client's daily cap and the mailbox's slot ({@link Pacer}), then the last look
 *       at the suppression list ({@link SuppressionCheck});
 *   <li>the claim ({@link Claims#claim}), which checks the lead's and the campaign's status again
 *       in the same statement, so a stop or a pause committed at any time before it wins;
 *   <li>only then SMTP ({@link Delivery}), and the record of the send ({@link SentRecorder}).
 * </ol>
 *
 * <p>Whose problem a failure is decides what happens ({@link Failures}): the recipient's fails the
 * step for good; the sending mailbox's releases the claim and returns {@link SendOutcome#HELD}, so
 * the lead waits for an operator instead of failing; a passing one is retried; one that may have
 * delivered the email leaves the step ambiguous, never sent again silently.
 */
@Component("sendActivities")
public class SendActivitiesImpl implements SendActivities {

  /**
   * Well inside the send activity's 30-second heartbeat timeout (LeadSequenceWorkflowImpl). The
   * heartbeat covers the whole attempt, not just SMTP: recording an accepted send may wait out a
   * database outage (see {@link SentRecorder}).
   */
  static final Duration HEARTBEAT_PERIOD = Duration.ofSeconds(5);

  private final SendContextStore contexts;
  private final StatusCheck statuses;
  private final Claims claims;
  private final StepRenderer renderer;
  private final SenderCheck senders;
  private final Pacer pacer;
  private final SuppressionCheck suppressions;
  private final Delivery delivery;
  private final SentRecorder recorder;

  SendActivitiesImpl(
      SendContextStore contexts,
      StatusCheck statuses,
      Claims claims,
      StepRenderer renderer,
      SenderCheck senders,
      Pacer pacer,
      SuppressionCheck suppressions,
      Delivery delivery,
      SentRecorder recorder) {
    this.contexts = contexts;
    this.statuses = statuses;
    this.claims = claims;
    this.renderer = renderer;
    this.senders = senders;
    this.pacer = pacer;
    this.suppressions = suppressions;
    this.delivery = delivery;
    this.recorder = recorder;
  }

  @Override
  public SendResult sendStep(LeadRef lead, int stepIndex) {
    // The SMTP exchange can take minutes; heartbeats let a crashed worker's send be retried within
    // the heartbeat timeout. Overlap with a still-running attempt is safe (conditional claim).
    try (Heartbeat beat = Heartbeat.every(HEARTBEAT_PERIOD)) {
      return send(lead, stepIndex, null);
    }
  }

  @Override
  public SendResult sendStepAndSchedule(
      LeadRef lead, int stepIndex, PlannedStep next, int totalSteps) {
    FollowUpPlan plan = new FollowUpPlan(next, totalSteps);
    try (Heartbeat beat = Heartbeat.every(HEARTBEAT_PERIOD)) {
      SendResult result = send(lead, stepIndex, plan);
      if (result.outcome() == SendOutcome.ALREADY_SENT) {
        return recorder.afterAlreadySent(lead, stepIndex, plan, result);
      }
      return result;
    }
  }

  /**
   * The send, step by step in the order that is the guarantee; a part that ends the step unsent
   * throws its answer ({@link StepAnswer}).
   *
   * @param plan the follow-up to record with the send, or {@code null} for none
   */
  private SendResult send(LeadRef lead, int stepIndex, FollowUpPlan plan) {
    long started = System.nanoTime();
    try {
      SendContext context = load(lead, stepIndex);
      statuses.requireSending(context);
      claims.requireUnclaimed(context);
      Rendered email = renderer.render(context);
      Sender sender = senders.senderFor(context);
      Reservation slot = pacer.slot(context, sender);
      suppressions.requireNotSuppressed(context);
      long claimId = claims.claim(context, sender, slot);
      delivery.deliver(context, sender, email, claimId);
      return recorder.sent(context, sender, plan, started);
    } catch (StepAnswer answer) {
      return answer.result();
    }
  }

  /** Everything the step needs but the ledger, in one read. */
  private SendContext load(LeadRef lead, int stepIndex) {
    return contexts
        .load(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex)
        .orElseThrow(
            () ->
                ActivityFailures.notFound(
                    "lead "
                        + lead.leadId()
                        + " of campaign "
                        + lead.campaignId()
                        + " or its step "
                        + stepIndex
                        + " does not exist for client "
                        + lead.clientId()));
  }
}
