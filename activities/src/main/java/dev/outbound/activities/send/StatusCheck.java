package dev.outbound.activities.send;

import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.vocabulary.status.CampaignStatus;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import org.springframework.stereotype.Component;

/**
 * The script's first check: a lead that ended, or a campaign that is not active, gets nothing,
 * before the ledger is read or anything is rendered or written. The claim checks the same statuses
 * again in its own statement, so a stop committed after this read still wins; this check only
 * spares the work in the common case.
 */
@Component
class StatusCheck {

  private final MailboxCapacityStore capacity;

  StatusCheck(MailboxCapacityStore capacity) {
    this.capacity = capacity;
  }

  /**
   * Returns when the lead and its campaign allow sending.
   *
   * @throws StepAnswer when they do not; a slot the step held from an earlier deferral goes back to
   *     the mailbox first
   */
  void requireSending(SendContext context) {
    SendResult refusal = refusal(context.enrolmentStatus(), context.campaignStatus());
    if (refusal != null) {
      capacity.release(
          context.clientId(), context.campaignId(), context.enrolmentId(), context.stepIndex());
      throw new StepAnswer(refusal);
    }
  }

  /**
   * The answer when the lead or the campaign does not allow sending, or null when they do. The
   * lead's status counts first: a lead that ended is reported as such whatever its campaign does.
   */
  static SendResult refusal(String enrolmentStatus, String campaignStatus) {
    LeadStatus lead = LeadStatus.valueOf(enrolmentStatus);
    if (lead.isTerminal()) {
      return new SendResult(
          SendOutcome.LEAD_STOPPED, null, lead, "lead is " + lead + "; step not sent");
    }
    CampaignStatus campaign = CampaignStatus.valueOf(campaignStatus);
    return switch (campaign) {
      case ACTIVE -> null;
      case STOPPED -> SendResult.of(SendOutcome.CAMPAIGN_STOPPED, null, "campaign is stopped");
      case PAUSED -> SendResult.of(SendOutcome.CAMPAIGN_PAUSED, null, "campaign is paused");
      // A campaign that was never started sends nothing either; the claim refuses it too.
      case DRAFT ->
          SendResult.of(
              SendOutcome.CAMPAIGN_PAUSED, null, "campaign is " + campaign + ", not active");
    };
  }
}
