package dev.outbound.activities.send;

import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.suppression.SuppressionStore.Suppression;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The last look at the client's suppression list, right before the claim: an unsubscribe or a
 * suppression added while this attempt rendered and reserved still wins ("stops win races",
 * docs/architecture.md).
 */
@Component
class SuppressionCheck {

  private static final Logger log = LoggerFactory.getLogger(SuppressionCheck.class);

  private final SuppressionStore suppressions;
  private final EnrolmentStore enrolments;
  private final MailboxCapacityStore capacity;

  SuppressionCheck(
      SuppressionStore suppressions, EnrolmentStore enrolments, MailboxCapacityStore capacity) {
    this.suppressions = suppressions;
    this.enrolments = enrolments;
    this.capacity = capacity;
  }

  /**
   * Returns when the lead's address and domain are not suppressed.
   *
   * @throws StepAnswer ending the lead {@code UNSUBSCRIBED} when they are: nothing is claimed or
   *     sent, the slot goes back to the mailbox, and a {@code SUPPRESSED} timeline event names the
   *     entry's kind and reason (not the address)
   */
  void requireNotSuppressed(SendContext context) {
    Optional<Suppression> match = suppressions.match(context.clientId(), context.lead().email());
    if (match.isEmpty()) {
      return;
    }
    Suppression entry = match.get();
    capacity.release(
        context.clientId(), context.campaignId(), context.enrolmentId(), context.stepIndex());
    String why =
        "the "
            + entry.kind().name().toLowerCase(Locale.ROOT)
            + " is on the suppression list ("
            + entry.reason()
            + ", entry "
            + entry.id()
            + ")";
    enrolments.markSuppressed(context.clientId(), context.campaignId(), context.enrolmentId(), why);
    log.info(
        "Step {} of lead {} (campaign {}) not sent: {}",
        context.stepIndex(),
        context.enrolmentId(),
        context.campaignId(),
        why);
    throw new StepAnswer(
        new SendResult(
            SendOutcome.LEAD_STOPPED,
            null,
            LeadStatus.UNSUBSCRIBED,
            "step " + context.stepIndex() + " not sent: " + why));
  }
}
