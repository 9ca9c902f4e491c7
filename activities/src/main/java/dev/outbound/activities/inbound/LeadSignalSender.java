package dev.outbound.activities.inbound;

import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.inbound.LeadSignalOutbox.Pending;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.StopReason;
import dev.outbound.workflows.client.LeadSequenceClient;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sends a client's pending lead signals ({@link LeadSignalOutbox}) to the lead workflows through
 * {@link LeadSequenceClient} (a stop by its one path, {@link LeadSequenceClient#stop}). A workflow
 * that has ended (or never started) needs no signal: the lead's status is already in the database,
 * where the workflow's first activity reads it. A workflow service that does not answer leaves the
 * signal pending for the next round.
 */
@Component
public class LeadSignalSender {

  /** Signals sent per round; the rest wait for the next poll. */
  static final int BATCH = 500;

  private static final Logger log = LoggerFactory.getLogger(LeadSignalSender.class);

  private final LeadSignalOutbox outbox;
  private final LeadSequenceClient sequences;

  public LeadSignalSender(LeadSignalOutbox outbox, WorkflowClient client) {
    this.outbox = outbox;
    this.sequences = new LeadSequenceClient(client);
  }

  /**
   * Sends the client's pending signals, oldest first.
   *
   * @return how many were sent (or found nothing to tell)
   */
  public int sendPending(long clientId) {
    int sent = 0;
    for (Pending pending : outbox.pending(clientId, BATCH)) {
      LeadRef lead = new LeadRef(clientId, pending.campaignId(), pending.enrolmentId());
      boolean running;
      try {
        running =
            switch (pending.signal()) {
              case REPLIED -> sequences.stop(lead, StopReason.REPLIED);
              case BOUNCED -> sequences.stop(lead, StopReason.BOUNCED);
              case UNSUBSCRIBED -> sequences.stop(lead, StopReason.UNSUBSCRIBED);
              case MEETING_BOOKED -> sequences.stop(lead, StopReason.MEETING_BOOKED);
              case CAMPAIGN_STOPPED -> sequences.stop(lead, StopReason.CAMPAIGN_STOPPED);
              case OUT_OF_OFFICE_UNTIL -> sequences.outOfOfficeUntil(lead, pending.argument());
              case RESUME -> sequences.resumeHeld(lead);
            };
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
      if (!running) {
        log.debug(
            "No running sequence for lead {} of campaign {}: {} not needed",
            pending.enrolmentId(),
            pending.campaignId(),
            pending.signal());
      }
      outbox.markSent(clientId, pending.id());
      sent++;
    }
    return sent;
  }
}
