package dev.outbound.activities.inbound;

import dev.outbound.activities.alerts.MailboxPauseReason;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.activities.inbound.Classification.AutoReply;
import dev.outbound.activities.inbound.Classification.Bounce;
import dev.outbound.activities.inbound.Classification.HumanReply;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.admin.LeadChangeStore;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.InboundStore.Inbox;
import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.suppression.Unsubscriptions;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decides what one received message means and commits it: one transaction per message that records
 * the message (a message recorded before is passed over), changes the lead, the suppression list
 * and the send ledger, queues the signals for the lead workflows ({@link LeadSignalOutbox}) and
 * moves the mailbox's cursor past it.
 *
 * <ul>
 *   <li>A human reply ({@link ReplyDecisions}) ends the lead {@code REPLIED} (also after its
 *       sequence completed: the agency wants to know); a reply that asks to be left alone
 *       unsubscribes the person instead. With the campaign's {@code stopCompanyOnReply}, the
 *       campaign's other running leads at the same company domain are stopped (never for a
 *       free-mail domain).
 *   <li>An out-of-office ({@link AutoReplyDecisions}) with a readable return date holds the lead
 *       until that day plus {@link WatchProperties#outOfOfficeGraceDays()} in the lead's zone; any
 *       other automatic answer is noted on the timeline and changes nothing.
 *   <li>A hard bounce ({@link BounceDecisions}) suppresses the address for the client and ends
 *       every running enrolment of it {@code BOUNCED}; a soft bounce is noted, and the lead is
 *       {@code BOUNCED} at the {@link WatchProperties#softBounceLimit()}th. A mailbox whose hard
 *       bounces pass {@link WatchProperties#bounceRateThreshold()} of its latest sends is paused.
 *   <li>An email ({@link UnsubscribeDecisions}) to a mailto unsubscribe address ({@code
 *       unsubscribe+<token>@...}) with a genuine token of the mailbox's client unsubscribes the
 *       person.
 * </ul>
 *
 * <p>Each part gets the message as an {@link InboundDecision}, which also records it and moves the
 * cursor. Matching trusts nothing the message says beyond the mailbox's own client: Message-IDs are
 * looked up in that client's send ledger, the fallback by sender only among leads this mailbox
 * mailed.
 */
@Component
public class InboundProcessor {

  /** What one message did. */
  public record Outcome(String kind, boolean acted) {}

  private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);

  private final InboundClassifier classifier;
  private final InboundStore store;
  private final MailboxPauses pauses;
  private final TransactionTemplate transactions;
  private final ReplyDecisions replies;
  private final AutoReplyDecisions autoReplies;
  private final BounceDecisions bounces;
  private final UnsubscribeDecisions unsubscribes;

  public InboundProcessor(
      InboundClassifier classifier,
      InboundStore store,
      LeadChangeStore leads,
      TimelineStore timeline,
      SuppressionStore suppressions,
      Unsubscriptions unsubscriptions,
      UnsubscribeTokens tokens,
      LeadSignalOutbox outbox,
      MailboxPauses pauses,
      WatchProperties settings,
      TransactionTemplate transactions) {
    this.classifier = classifier;
    this.store = store;
    this.pauses = pauses;
    this.transactions = transactions;
    this.unsubscribes = new UnsubscribeDecisions(store, unsubscriptions, tokens, outbox);
    this.replies = new ReplyDecisions(store, leads, timeline, outbox, unsubscribes);
    this.autoReplies = new AutoReplyDecisions(timeline, outbox, settings);
    this.bounces = new BounceDecisions(store, leads, timeline, suppressions, outbox, settings);
  }

  /**
   * Processes one message read from {@code inbox} and moves the cursor past it, in one transaction.
   * A message seen before only moves the cursor.
   */
  public Outcome process(Inbox inbox, long uidValidity, InboxBatch.Message message) {
    MimeMessage parsed;
    Classification classification;
    InboundMatching.Keys keys;
    try {
      parsed = InboundClassifier.parse(message.raw());
      classification = classifier.classify(parsed);
      keys = InboundMatching.of(parsed, classification);
    } catch (RuntimeException e) {
      parsed = null;
      classification = new Classification.Unknown("unparseable message");
      keys = new InboundMatching.Keys(null, List.of(), null, null, null);
    }
    InboundDecision decision =
        new InboundDecision(store, inbox, uidValidity, message, parsed, classification, keys);
    Outcome outcome = transactions.execute(status -> commit(decision));
    if (decision.pauseForBounces()) {
      // After the commit: the alert must not go out for a decision that was rolled back.
      pauses.pause(inbox.clientId(), inbox.mailboxId(), MailboxPauseReason.BOUNCES);
    }
    return outcome;
  }

  /** One message's decision, inside its transaction. */
  private Outcome commit(InboundDecision d) {
    long client = d.clientId();
    if (store.seen(
        d.inbox().mailboxId(), d.uidValidity(), d.message().uid(), d.keys().messageId())) {
      d.advanceCursor();
      return new Outcome("SEEN", false);
    }
    Optional<UnsubscribeTokens.Subject> mailto = unsubscribes.mailtoUnsubscribe(d);
    if (mailto.isPresent()) {
      return unsubscribes.unsubscribeByMail(d, mailto.get().enrolmentId());
    }
    Outcome outcome;
    if (d.classification() instanceof HumanReply reply) {
      outcome = replies.reply(d, reply);
    } else if (d.classification() instanceof AutoReply auto) {
      outcome = autoReplies.autoReply(d, auto);
    } else if (d.classification() instanceof Bounce bounce) {
      outcome = bounces.bounce(d, bounce);
    } else {
      String reason = ((Classification.Unknown) d.classification()).reason();
      d.record("UNKNOWN", null, null, "nothing done: " + reason);
      outcome = new Outcome("UNKNOWN", false);
    }
    d.advanceCursor();
    log.debug("Mailbox {} of client {}: {}", d.inbox().mailboxId(), client, outcome);
    return outcome;
  }
}
