package dev.outbound.api.leads;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.crm.admin.LeadQueryStore;
import dev.outbound.crm.sequence.LedgerEntry;
import dev.outbound.crm.sequence.SendLedgerStore;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resolving ambiguous sends (docs/api.md, "Ambiguous sends"): by policy such a step is never
 * re-sent silently, and the lead is held on it. An operator who confirmed delivery marks it sent
 * (it leaves the campaign's {@code counts.ambiguous} and counts among the step's sent emails, and
 * the sequence goes on); one who found it was not delivered allows one resend. The ledger changes
 * first (it is what the send activity answers from), then the lead's workflow is told; a lost
 * signal only delays the lead until its periodic re-check.
 */
@RestController
class AmbiguousSendController {

  /** The answer: the lead, the step and its ledger status after the call. */
  record StepStatus(long leadId, int step, String status) {}

  private final LeadQueryStore leads;
  private final SendLedgerStore ledger;
  private final WorkflowSignals signals;

  AmbiguousSendController(LeadQueryStore leads, SendLedgerStore ledger, WorkflowSignals signals) {
    this.leads = leads;
    this.ledger = ledger;
    this.signals = signals;
  }

  /** 200 when the step was ambiguous and is now sent; 409 (with its status) otherwise. */
  @PostMapping("/api/v1/leads/{id}/steps/{step}/mark-sent")
  StepStatus markSent(ClientId client, @PathVariable long id, @PathVariable int step) {
    long campaign = campaignOf(client, id);
    if (!ledger.confirmAmbiguousSent(client.value(), campaign, id, step)) {
      throw notAmbiguous(client, campaign, id, step);
    }
    signals.ambiguityResolved(client.value(), campaign, id);
    return new StepStatus(id, step, "SENT");
  }

  /**
   * 202 when the step was ambiguous and may now be sent once more (the held lead sends it at once,
   * within its send window); 409 (with its status) otherwise.
   */
  @PostMapping("/api/v1/leads/{id}/steps/{step}/resend")
  @ResponseStatus(HttpStatus.ACCEPTED)
  StepStatus resend(ClientId client, @PathVariable long id, @PathVariable int step) {
    long campaign = campaignOf(client, id);
    if (!ledger.allowAmbiguousResend(client.value(), campaign, id, step)) {
      throw notAmbiguous(client, campaign, id, step);
    }
    signals.ambiguityResolved(client.value(), campaign, id);
    return new StepStatus(id, step, "RESEND_ALLOWED");
  }

  private long campaignOf(ClientId client, long id) {
    return leads
        .state(client.value(), id)
        .orElseThrow(() -> new NotFoundException("lead", id))
        .campaignId();
  }

  private ConflictException notAmbiguous(ClientId client, long campaign, long id, int step) {
    String current =
        ledger
            .find(client.value(), campaign, id, step)
            .map(LedgerEntry::status)
            .map(String::valueOf)
            .orElse("NOT_CLAIMED");
    return new ConflictException(
            "Step "
                + step
                + " of lead "
                + id
                + " is not ambiguous, so there is nothing to resolve.")
        .with("currentStatus", current);
  }
}
