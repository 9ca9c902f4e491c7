package dev.outbound.activities.inbound;

import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.inbound.LeadSignalOutbox.Pending;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.WorkflowIds;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends a client's pending lead signals ({@link LeadSignalOutbox}) to the lead workflows. A
 * workflow that has ended (or never started) needs no signal: the lead's status is already in the
 * database, where the workflow's first activity reads it. A workflow service that does not answer
 * leaves the signal pending for the next round.
 */
@Component
public class LeadSignalSender {

  /** Signals sent per round; the rest wait for the next poll. */
  static final int BATCH = 500;

  private static final Logger log = LoggerFactory.getLogger(LeadSignalSender.class);

  private final LeadSignalOutbox outbox;
  private final WorkflowClient client;

  public LeadSignalSender(LeadSignalOutbox outbox, WorkflowClient client) {
    this.outbox = outbox;
    this.client = client;
  }

  /**
   * Sends the client's pending signals, oldest first.
   *
   * @return how many were sent (or found nothing to tell)
   */
  public int sendPending(long clientId) {
    int sent = 0;
    for (Pending pending : outbox.pending(clientId, BATCH)) {
      LeadSequenceWorkflow lead =
          client.newWorkflowStub(
              LeadSequenceWorkflow.class,
              WorkflowIds.leadSequence(pending.campaignId(), pending.enrolmentId()));
      try {
        switch (pending.signal()) {
          case REPLIED -> lead.replied();
          case BOUNCED -> lead.bounced();
          case UNSUBSCRIBED -> lead.unsubscribed();
          case MEETING_BOOKED -> lead.meetingBooked();
          case CAMPAIGN_STOPPED -> lead.campaignStopped();
          case OUT_OF_OFFICE_UNTIL -> lead.outOfOfficeUntil(pending.argument());
          case RESUME -> lead.resume();
        }
      } catch (WorkflowNotFoundException e) {
        log.debug(
            "No running sequence for lead {} of campaign {}: {} not needed",
            pending.enrolmentId(),
            pending.campaignId(),
            pending.signal());
      } catch (WorkflowException | StatusRuntimeException e) {
        outbox.markAttempt(clientId, pending.id());
        log.warn(
            "Signal {} to lead {} of campaign {} not sent yet, will retry: {}",
            pending.signal(),
            pending.enrolmentId(),
            pending.campaignId(),
            e.getClass().getSimpleName());
        // The service is not answering: the rest would fail too.
        return sent;
      }
      outbox.markSent(clientId, pending.id());
      sent++;
    }
    return sent;
  }
}
