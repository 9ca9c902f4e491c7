package dev.outbound.activities.lead;

import dev.outbound.activities.ActivityFailures;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.workflows.LeadActivities;
import dev.outbound.workflows.LeadProgress;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SequencePlan;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * See {@link LeadActivities}. Both methods are safe to run twice: the status update is conditional
 * and a timeline event that repeats the lead's latest event is not appended again.
 */
@Component("leadActivities")
public class LeadActivitiesImpl implements LeadActivities {

  private static final Logger log = LoggerFactory.getLogger(LeadActivitiesImpl.class);

  private final EnrolmentStore enrolments;
  private final SendLedgerStore ledger;
  private final MailboxCapacityStore capacity;
  private final TimelineStore timeline;
  private final OutboundMetrics metrics;

  public LeadActivitiesImpl(
      EnrolmentStore enrolments,
      SendLedgerStore ledger,
      MailboxCapacityStore capacity,
      TimelineStore timeline,
      OutboundMetrics metrics) {
    this.enrolments = enrolments;
    this.ledger = ledger;
    this.capacity = capacity;
    this.timeline = timeline;
    this.metrics = metrics;
  }

  @Override
  public SequencePlan begin(LeadRef lead) {
    LeadStatus status = currentStatus(lead);
    List<PlannedStep> steps =
        enrolments.steps(lead.clientId(), lead.campaignId()).stream()
            .map(step -> new PlannedStep(step.index(), step.delaySeconds()))
            .toList();
    // Ambiguous steps count as sent: a sequence that starts again must not send them a second time.
    int lastSent = ledger.lastSentStep(lead.clientId(), lead.campaignId(), lead.leadId());
    if (status.isTerminal()) {
      return new SequencePlan(steps, lastSent, status);
    }
    if (!enrolments.markActive(lead.clientId(), lead.campaignId(), lead.leadId())) {
      // The lead became terminal (e.g. a reply was recorded) between the read and the update.
      LeadStatus now = currentStatus(lead);
      return new SequencePlan(steps, lastSent, now.isTerminal() ? now : null);
    }
    String detail =
        "sequence started with "
            + steps.size()
            + " steps"
            + (lastSent > 0 ? ", continuing after step " + lastSent : "");
    timeline.appendUnlessRepeated(
        lead.clientId(), lead.leadId(), TimelineEvent.STARTED, lastSent, detail);
    return new SequencePlan(steps, lastSent, null);
  }

  @Override
  public void record(LeadProgress progress) {
    LeadRef lead = progress.lead();
    LeadStatus status = progress.status();
    Instant nextSendAt =
        progress.nextSendAtMillis() == null
            ? null
            : Instant.ofEpochMilli(progress.nextSendAtMillis());
    boolean applied =
        enrolments.recordProgress(
            lead.clientId(),
            lead.campaignId(),
            lead.leadId(),
            status.name(),
            progress.currentStep(),
            nextSendAt,
            lastOutcome(progress));
    if (!applied) {
      LeadStatus current = currentStatus(lead);
      if (!status.isTerminal()) {
        // A late pause, schedule or resume of a lead that already ended: the end stands, and a
        // timeline saying "scheduled" after "replied" would only confuse.
        log.debug(
            "Ignored {} for lead {} (campaign {}): it is already {}",
            progress.event(),
            lead.leadId(),
            lead.campaignId(),
            current);
        return;
      }
      // A second terminal status: the first one stands, but what the sequence did is still
      // recorded.
    }
    if (status.isTerminal()) {
      // A lead that ended while waiting for a reserved slot gives the slot back to its mailbox.
      capacity.releaseAllOf(lead.clientId(), lead.leadId());
    }
    if (progress.event() != null) {
      boolean appended =
          timeline.appendUnlessRepeated(
              lead.clientId(), lead.leadId(), progress.event(), progress.step(), progress.detail());
      if (appended) {
        // The sequence's own stop event is written once per lead (a retried record repeats it and
        // is not appended), whoever recorded the status first (the API or an inbound message).
        switch (progress.event()) {
          case REPLIED -> metrics.reply();
          case BOUNCED -> metrics.bounce();
          case UNSUBSCRIBED -> metrics.unsubscribe();
          default -> {}
        }
      }
    }
  }

  private LeadStatus currentStatus(LeadRef lead) {
    return enrolments
        .status(lead.clientId(), lead.campaignId(), lead.leadId())
        .map(LeadStatus::valueOf)
        .orElseThrow(
            () ->
                ActivityFailures.notFound(
                    "lead "
                        + lead.leadId()
                        + " of campaign "
                        + lead.campaignId()
                        + " does not exist for client "
                        + lead.clientId()));
  }

  private static String lastOutcome(LeadProgress progress) {
    String what = progress.event() == null ? progress.status().name() : progress.event().name();
    return progress.step() > 0 ? what + " step " + progress.step() : what;
  }
}
