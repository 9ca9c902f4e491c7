package dev.outbound.activities.inbound;

import dev.outbound.activities.inbound.InboundProcessor.Outcome;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.InboundStore.Match;
import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.inbound.LeadSignalOutbox.Signal;
import dev.outbound.crm.suppression.Unsubscriptions;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import java.util.Optional;

/**
 * Unsubscribes that arrive by mail: an email to a mailto unsubscribe address ({@code
 * unsubscribe+<token>@...}) with a genuine token of the mailbox's client, and (for {@link
 * ReplyDecisions}) a reply that asks to be left alone. Either unsubscribes the person, and the
 * workflows of their leads that may still run are told.
 */
final class UnsubscribeDecisions {

  private final InboundStore store;
  private final Unsubscriptions unsubscriptions;
  private final UnsubscribeTokens tokens;
  private final LeadSignalOutbox outbox;

  UnsubscribeDecisions(
      InboundStore store,
      Unsubscriptions unsubscriptions,
      UnsubscribeTokens tokens,
      LeadSignalOutbox outbox) {
    this.store = store;
    this.unsubscriptions = unsubscriptions;
    this.tokens = tokens;
    this.outbox = outbox;
  }

  /** A recipient of the form {@code unsubscribe+<token>@...} with a token of this client. */
  Optional<UnsubscribeTokens.Subject> mailtoUnsubscribe(InboundDecision d) {
    if (d.parsed() == null) {
      return Optional.empty();
    }
    for (String address : MessageHeaders.recipients(d.parsed())) {
      Optional<UnsubscribeTokens.Subject> subject = tokens.verifyMailtoAddress(address);
      if (subject.isPresent() && subject.get().clientId() == d.clientId()) {
        return subject;
      }
    }
    return Optional.empty();
  }

  /** An email to the mailto unsubscribe address of lead {@code enrolmentId}; moves the cursor. */
  Outcome unsubscribeByMail(InboundDecision d, long enrolmentId) {
    Optional<Match> lead = store.enrolment(d.clientId(), enrolmentId);
    d.record(
        "UNSUBSCRIBE",
        lead.orElse(null),
        lead.isPresent() ? "TOKEN" : null,
        lead.isPresent() ? "mailto unsubscribe" : "mailto unsubscribe: lead gone");
    lead.ifPresent(l -> unsubscribe(d, l.enrolmentId(), "unsubscribe email"));
    d.advanceCursor();
    return new Outcome("UNSUBSCRIBE", lead.isPresent());
  }

  /** Unsubscribes the person of lead {@code enrolmentId} and tells their leads that may run. */
  void unsubscribe(InboundDecision d, long enrolmentId, String source) {
    unsubscriptions
        .unsubscribe(d.clientId(), enrolmentId, source)
        .ifPresent(
            changed ->
                changed.stream()
                    .filter(Unsubscriptions.Changed::mayStillRun)
                    .forEach(
                        c ->
                            outbox.enqueue(
                                d.clientId(),
                                c.campaignId(),
                                c.enrolmentId(),
                                Signal.UNSUBSCRIBED,
                                null)));
  }
}
