package dev.outbound.api.mailboxes;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.api.web.Checks;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.crm.admin.MailboxStore;
import dev.outbound.crm.capacity.MailboxUsageStore;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pausing and resuming a mailbox, and changing its passwords: what an operator does after the
 * worker paused a mailbox (too many bounces, a refused login) and the alert woke them.
 */
@RestController
@RequestMapping("/api/v1/mailboxes/{id}")
class MailboxStateController {

  /** New passwords; a null one is left as it is. Never returned or logged. */
  record Credentials(@Size(max = 1000) String smtpPassword, @Size(max = 1000) String imapPassword) {

    @Override
    public String toString() {
      return "Credentials[***]";
    }
  }

  private final MailboxStore mailboxes;
  private final MailboxUsageStore capacity;
  private final WorkflowSignals signals;
  private final Clock clock = Clock.systemUTC();

  MailboxStateController(
      MailboxStore mailboxes, MailboxUsageStore capacity, WorkflowSignals signals) {
    this.mailboxes = mailboxes;
    this.capacity = capacity;
    this.signals = signals;
  }

  @PostMapping("/pause")
  @Operation(
      summary = "Pause a mailbox",
      description =
          "Leads that would send from it are held and it gets no new leads; its inbox is still"
              + " read. Pausing a paused mailbox changes nothing.")
  MailboxView pause(ClientId client, @PathVariable long id) {
    view(client, id);
    mailboxes.pause(client.value(), id, "paused by an operator");
    return view(client, id);
  }

  @PostMapping("/resume")
  @Operation(
      summary = "Resume a mailbox",
      description =
          "Sets it active again and resumes every lead held on it (they send their due step"
              + " within their window and the mailbox's pacing). Safe to repeat: a repeat resumes"
              + " leads still held, e.g. after the workflow service did not answer.")
  MailboxView resume(ClientId client, @PathVariable long id) {
    view(client, id);
    mailboxes.resume(client.value(), id);
    for (MailboxStore.HeldLead lead : mailboxes.heldLeads(client.value(), id)) {
      signals.resumeHeldLead(client.value(), lead.campaignId(), lead.enrolmentId());
    }
    return view(client, id);
  }

  @PutMapping("/credentials")
  @Operation(
      summary = "Change a mailbox's passwords",
      description =
          "Stores the new SMTP and/or IMAP password (encrypted; never returned) and tells the"
              + " inbox watcher to log in again now. A mailbox paused for a refused login stays"
              + " paused until it is resumed.")
  MailboxView credentials(
      ClientId client, @PathVariable long id, @RequestBody Credentials credentials) {
    Checks checks = new Checks();
    if (credentials == null
        || (credentials.smtpPassword() == null && credentials.imapPassword() == null)) {
      checks.add("smtpPassword", "give smtpPassword, imapPassword or both");
    }
    checks.throwIfAny();
    MailboxView before = view(client, id);
    mailboxes.changePasswords(
        client.value(), id, credentials.smtpPassword(), credentials.imapPassword());
    if (before.imap() != null) {
      signals.watchInbox(client.value(), id, true);
    }
    return view(client, id);
  }

  private MailboxView view(ClientId client, long id) {
    MailboxStore.Mailbox mailbox =
        mailboxes.find(client.value(), id).orElseThrow(() -> new NotFoundException("mailbox", id));
    return MailboxView.of(
        mailbox, capacity.usage(client.value(), id, clock.instant()).orElse(null));
  }
}
