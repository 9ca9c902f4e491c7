package dev.outbound.activities.send;

import dev.outbound.activities.send.FaultInjection.HaltPoint;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.workflows.FailureType;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Hands a claimed step's email to SMTP through {@link SmtpMailer}. The content goes out only once
 * the claim records that it may have ({@link SendLedgerStore#markContentStarted}), so a retry that
 * finds the claim without that mark knows nothing was delivered. A failure is settled by {@link
 * Failures}, which decides from whose problem it is whether the step fails, waits or is retried.
 */
@Component
class Delivery {

  private final SmtpMailer mailer;
  private final SendLedgerStore ledger;
  private final Failures failures;
  private final FaultInjection faults;

  Delivery(SmtpMailer mailer, SendLedgerStore ledger, Failures failures, FaultInjection faults) {
    this.mailer = mailer;
    this.ledger = ledger;
    this.failures = failures;
    this.faults = faults;
  }

  /**
   * Sends the step's email under claim {@code claimId}; returns once SMTP accepted it.
   *
   * @throws StepAnswer when the lead is held (the mailbox's problem) or the step is ambiguous
   * @throws io.temporal.failure.ApplicationFailure when the recipient's address or the server's
   *     answer fails the step for good
   * @throws TransientSendException when nothing was sent and a retry may succeed
   */
  void deliver(SendContext context, Sender sender, Rendered rendered, long claimId) {
    InternetAddress to;
    try {
      to = recipient(context.lead().email());
    } catch (AddressException e) {
      throw failures.failed(
          context,
          sender.mailboxId(),
          FailureType.INVALID_ADDRESS,
          "the lead's address is not valid");
    }
    List<String> earlier =
        context.stepIndex() > 1
            ? ledger.earlierMessageIds(
                context.clientId(),
                context.campaignId(),
                context.enrolmentId(),
                context.stepIndex())
            : List.of();
    OutgoingEmail email =
        new OutgoingEmail(
            sender.messageId(),
            sender.from(),
            to,
            rendered.subject(),
            rendered.text(),
            rendered.html(),
            earlier,
            sender.unsubscribe().listUnsubscribe(),
            sender.unsubscribe().listUnsubscribePost());
    try {
      mailer.send(
          sender.account(), email, () -> ledger.markContentStarted(context.clientId(), claimId));
    } catch (SmtpFailure failure) {
      throw failures.afterSmtp(context, sender, claimId, failure);
    }
    faults.reached(HaltPoint.AFTER_SMTP_ACCEPTED);
  }

  /** The lead's address, if it is one plain mailbox without anything that could inject headers. */
  static InternetAddress recipient(String email) throws AddressException {
    if (email == null || Headers.hasLineBreak(email)) {
      throw new AddressException("line break or no address");
    }
    InternetAddress address = new InternetAddress(email, true);
    // A strict parse still accepts a group or a list-like value; one plain mailbox is all we send
    // to.
    if (address.isGroup() || !email.trim().equals(address.getAddress())) {
      throw new AddressException("not a single plain address");
    }
    return address;
  }
}
