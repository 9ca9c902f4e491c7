package dev.outbound.api.leads;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.crm.admin.LeadStore;
import dev.outbound.crm.sequence.LedgerEntry;
import dev.outbound.crm.sequence.SendLedgerStore;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resolving ambiguous sends (README, "Ambiguous sends"): by policy such a step is never re-sent
 * silently; an operator who confirmed delivery marks it sent, which clears it from the campaign's
 * {@code counts.ambiguous} and counts it among the step's sent emails.
 */
@RestController
class AmbiguousSendController {

  /** The answer: the lead, the step and its ledger status after the call. */
  record StepStatus(long leadId, int step, String status) {}

  private final LeadStore leads;
  private final SendLedgerStore ledger;

  AmbiguousSendController(LeadStore leads, SendLedgerStore ledger) {
    this.leads = leads;
    this.ledger = ledger;
  }

  /** 200 when the step was ambiguous and is now sent; 409 (with its status) otherwise. */
  @PostMapping("/api/v1/leads/{id}/steps/{step}/mark-sent")
  StepStatus markSent(ClientId client, @PathVariable long id, @PathVariable int step) {
    long campaign =
        leads
            .state(client.value(), id)
            .orElseThrow(() -> new NotFoundException("lead", id))
            .campaignId();
    if (!ledger.confirmAmbiguousSent(client.value(), campaign, id, step)) {
      String current =
          ledger
              .find(client.value(), campaign, id, step)
              .map(LedgerEntry::status)
              .map(String::valueOf)
              .orElse("NOT_CLAIMED");
      throw new ConflictException(
              "Step "
                  + step
                  + " of lead "
                  + id
                  + " is not ambiguous, so there is nothing to resolve.")
          .with("currentStatus", current);
    }
    return new StepStatus(id, step, "SENT");
  }
}
