package dev.outbound.api.leads;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.crm.admin.AmbiguousSendStore;
import dev.outbound.crm.admin.LeadStore;
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
  private final AmbiguousSendStore ambiguous;

  AmbiguousSendController(LeadStore leads, AmbiguousSendStore ambiguous) {
    this.leads = leads;
    this.ambiguous = ambiguous;
  }

  /** 200 when the step was ambiguous and is now sent; 409 (with its status) otherwise. */
  @PostMapping("/api/v1/leads/{id}/steps/{step}/mark-sent")
  StepStatus markSent(ClientId client, @PathVariable long id, @PathVariable int step) {
    leads.state(client.value(), id).orElseThrow(() -> new NotFoundException("lead", id));
    if (!ambiguous.markSent(client.value(), id, step)) {
      String current = ambiguous.status(client.value(), id, step).orElse("NOT_CLAIMED");
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
