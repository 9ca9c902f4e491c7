package dev.outbound.activities.send;

import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.sequence.MailboxSettings;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.sequence.SendContextStore;
import java.time.Clock;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Which mailbox a lead's step goes out from: the one it was assigned on its first send (sticky, so
 * that follow-ups come from the same mailbox and thread), or, on the first send, the campaign
 * pool's mailbox with the most spare capacity. The send context brings an assigned mailbox's
 * settings along, so only a first send reads the database here.
 */
@Component
class MailboxAssignment {

  private final SendContextStore contexts;
  private final MailboxCapacityStore capacity;
  private final Waits waits;
  private final Clock clock;

  MailboxAssignment(
      SendContextStore contexts, MailboxCapacityStore capacity, Waits waits, Clock clock) {
    this.contexts = contexts;
    this.capacity = capacity;
    this.waits = waits;
    this.clock = clock;
  }

  /**
   * The lead's mailbox, assigned now when it has none.
   *
   * @throws StepAnswer holding the lead when the campaign's pool is empty or the mailbox is not the
   *     client's
   */
  MailboxSettings mailboxOf(SendContext context) {
    if (context.mailboxId() != null) {
      return Optional.ofNullable(context.mailbox())
          .orElseThrow(() -> missing(context, context.mailboxId()));
    }
    long assigned = assign(context);
    return contexts
        .mailbox(context.clientId(), assigned)
        .orElseThrow(() -> missing(context, assigned));
  }

  private StepAnswer missing(SendContext context, long mailboxId) {
    return waits.untilMailboxFixed(
        context, "mailbox " + mailboxId + " does not exist for client " + context.clientId());
  }

  private long assign(SendContext context) {
    // A new lead goes to the pool mailbox with the most spare capacity; once assigned it stays.
    Optional<Long> roomiest =
        capacity.pickMailbox(context.clientId(), context.campaignId(), clock.instant());
    Optional<Long> assigned =
        roomiest.isPresent()
            ? contexts.assignMailbox(
                context.clientId(), context.campaignId(), context.enrolmentId(), roomiest.get())
            : contexts.assignMailbox(
                context.clientId(), context.campaignId(), context.enrolmentId());
    return assigned.orElseThrow(
        () ->
            waits.untilMailboxFixed(
                context, "campaign " + context.campaignId() + " has no mailbox in its pool"));
  }
}
