package dev.outbound.activities.inbound;

import dev.outbound.activities.inbound.Classification.Bounce;
import dev.outbound.activities.inbound.Classification.BounceType;
import dev.outbound.activities.inbound.InboundDecision.MatchedBy;
import dev.outbound.activities.inbound.InboundProcessor.Outcome;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.admin.ChangeOutcome;
import dev.outbound.crm.admin.LeadChangeStore;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.InboundStore.Match;
import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.inbound.LeadSignalOutbox.Signal;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.vocabulary.address.SuppressionValues;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import java.util.Optional;

/**
 * What a bounce does: a hard bounce suppresses the address for the client and ends every running
 * enrolment of it {@code BOUNCED}; a soft bounce is noted, and the lead is {@code BOUNCED} at the
 * {@link WatchProperties#softBounceLimit()}th. A mailbox whose hard bounces pass {@link
 * WatchProperties#bounceRateThreshold()} of its latest sends is to be paused (after the commit, by
 * {@link InboundProcessor}).
 *
 * <p>A bounce matches by the bounced email's Message-ID, else by its failed recipient among the
 * leads this mailbox mailed.
 */
final class BounceDecisions {

  private final InboundStore store;
  private final LeadChangeStore leads;
  private final TimelineStore timeline;
  private final SuppressionStore suppressions;
  private final LeadSignalOutbox outbox;
  private final WatchProperties settings;

  BounceDecisions(
      InboundStore store,
      LeadChangeStore leads,
      TimelineStore timeline,
      SuppressionStore suppressions,
      LeadSignalOutbox outbox,
      WatchProperties settings) {
    this.store = store;
    this.leads = leads;
    this.timeline = timeline;
    this.suppressions = suppressions;
    this.outbox = outbox;
    this.settings = settings;
  }

  Outcome bounce(InboundDecision d, Bounce bounce) {
    long client = d.clientId();
    Optional<MatchedBy> match =
        store
            .byMessageId(client, d.keys().candidates())
            .map(m -> new MatchedBy(m, "MESSAGE_ID"))
            .or(
                () ->
                    Optional.ofNullable(bounce.failedRecipient())
                        .flatMap(r -> store.bySender(client, d.inbox().mailboxId(), r))
                        .map(m -> new MatchedBy(m, "SENDER")));
    boolean hard = bounce.type() == BounceType.HARD;
    String kind = hard ? "HARD_BOUNCE" : "SOFT_BOUNCE";
    String code = bounce.status() == null ? "" : " " + bounce.status();
    if (match.isEmpty()) {
      d.record(kind, null, null, "bounce" + code + ": no send of this client matched");
      return new Outcome(kind, false);
    }
    Match lead = match.get().match();
    store.markBounced(client, lead.enrolmentId(), lead.step(), hard ? "HARD" : "SOFT");
    if (hard) {
      d.record(kind, lead, match.get().by(), "hard bounce" + code + ": address suppressed");
      timeline.append(
          client,
          lead.enrolmentId(),
          TimelineEvent.BOUNCE_RECEIVED,
          lead.step(),
          "hard bounce" + code);
      String address = bounce.failedRecipient() != null ? bounce.failedRecipient() : lead.email();
      if (SuppressionValues.parseAddress(address).isPresent()) {
        suppressions.add(
            client,
            SuppressionStore.Kind.ADDRESS,
            address,
            SuppressionStore.Reason.HARD_BOUNCE,
            "bounce" + code + ", lead " + lead.enrolmentId());
      }
      endBounced(d, lead, "hard bounce" + code);
      for (Match other : store.runningEnrolmentsOf(client, lead.email())) {
        endBounced(d, other, "hard bounce" + code + " in campaign " + lead.campaignId());
      }
      InboundStore.BounceRate rate = store.bounceRate(client, d.inbox().mailboxId());
      d.pauseForBounces(
          rate.sends() >= settings.bounceRateMinimumSends()
              && rate.rate() > settings.bounceRateThreshold());
      return new Outcome(kind, true);
    }
    d.record(kind, lead, match.get().by(), "soft bounce" + code);
    int soft = store.softBounces(client, lead.enrolmentId());
    timeline.append(
        client,
        lead.enrolmentId(),
        TimelineEvent.BOUNCE_RECEIVED,
        lead.step(),
        "soft bounce" + code + " (" + soft + " of " + settings.softBounceLimit() + ")");
    if (soft >= settings.softBounceLimit()) {
      endBounced(d, lead, soft + " soft bounces");
      return new Outcome(kind, true);
    }
    return new Outcome(kind, false);
  }

  private void endBounced(InboundDecision d, Match lead, String why) {
    var result =
        leads.markTerminal(d.clientId(), lead.enrolmentId(), "BOUNCED", why, "BOUNCED (inbox)");
    if (result.outcome() == ChangeOutcome.CHANGED) {
      outbox.enqueue(d.clientId(), lead.campaignId(), lead.enrolmentId(), Signal.BOUNCED, null);
    }
  }
}
