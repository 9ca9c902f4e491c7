package dev.outbound.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * The product's counters. Activities call one method per event, after the event is recorded in
 * PostgreSQL, so that a retried activity that finds its work done (for example {@code
 * ALREADY_SENT}) does not count it again.
 *
 * <p>In Prometheus (Micrometer appends {@code _total} to counters):
 *
 * <table>
 *   <caption>Counters</caption>
 *   <tr><th>metric</th><th>tags</th></tr>
 *   <tr><td>{@code outbound_emails_sent_total}</td><td>{@code mailbox}</td></tr>
 *   <tr><td>{@code outbound_emails_failed_total}</td><td>{@code mailbox}, {@code reason}</td></tr>
 *   <tr><td>{@code outbound_replies_total}</td><td>none</td></tr>
 *   <tr><td>{@code outbound_bounces_total}</td><td>none</td></tr>
 *   <tr><td>{@code outbound_unsubscribes_total}</td><td>none</td></tr>
 *   <tr><td>{@code outbound_sends_deferred_total}</td><td>{@code reason}</td></tr>
 *   <tr><td>{@code outbound_sends_ambiguous_total}</td><td>{@code mailbox}</td></tr>
 * </table>
 *
 * <p>Replies, bounces and unsubscribes are not tagged by campaign or client: those are unbounded
 * sets that would multiply the series, and the REST API already answers per campaign.
 */
public class OutboundMetrics {

  public static final String EMAILS_SENT = "outbound.emails.sent";
  public static final String EMAILS_FAILED = "outbound.emails.failed";
  public static final String REPLIES = "outbound.replies";
  public static final String BOUNCES = "outbound.bounces";
  public static final String UNSUBSCRIBES = "outbound.unsubscribes";
  public static final String SENDS_DEFERRED = "outbound.sends.deferred";
  public static final String SENDS_AMBIGUOUS = "outbound.sends.ambiguous";

  private final MeterRegistry registry;
  private final Counter replies;
  private final Counter bounces;
  private final Counter unsubscribes;

  public OutboundMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    // The untagged counters exist from the start, so a dashboard shows 0 rather than no data.
    this.replies =
        Counter.builder(REPLIES).description("Replies matched to a lead").register(registry);
    this.bounces =
        Counter.builder(BOUNCES).description("Bounces (DSNs) matched to a lead").register(registry);
    this.unsubscribes =
        Counter.builder(UNSUBSCRIBES).description("Leads that unsubscribed").register(registry);
    for (DeferralReason reason : DeferralReason.values()) {
      deferredCounter(reason);
    }
  }

  /** One email handed to the SMTP server and recorded as sent, from mailbox {@code mailboxId}. */
  public void emailSent(long mailboxId) {
    Counter.builder(EMAILS_SENT)
        .description("Emails accepted by the SMTP server and recorded as sent")
        .tag("mailbox", mailbox(mailboxId))
        .register(registry)
        .increment();
  }

  /**
   * One step that failed for good from mailbox {@code mailboxId}; {@code reason} is a fixed code
   * such as a {@code FailureType} name ({@code SMTP_PERMANENT}, {@code INVALID_ADDRESS}), never the
   * server's text.
   */
  public void emailFailed(long mailboxId, String reason) {
    Counter.builder(EMAILS_FAILED)
        .description("Steps that failed permanently (the lead ends FAILED)")
        .tag("mailbox", mailbox(mailboxId))
        .tag("reason", code(reason))
        .register(registry)
        .increment();
  }

  /** A reply matched to a lead (the sequence stops). */
  public void reply() {
    replies.increment();
  }

  /** A bounce matched to a lead (the sequence stops). */
  public void bounce() {
    bounces.increment();
  }

  /** A lead unsubscribed (the sequence stops; the address is suppressed). */
  public void unsubscribe() {
    unsubscribes.increment();
  }

  /** A due step was not sent now, for {@code reason}; it goes out later (or after a fix). */
  public void deferred(DeferralReason reason) {
    deferredCounter(Objects.requireNonNull(reason, "reason")).increment();
  }

  /**
   * A step flagged ambiguous (it may or may not have been delivered; not sent again). Call it once
   * per step, when the ledger row is marked, not on every retry that finds it.
   */
  public void ambiguousSend(long mailboxId) {
    Counter.builder(SENDS_AMBIGUOUS)
        .description("Steps flagged ambiguous: an operator must check whether they went out")
        .tag("mailbox", mailbox(mailboxId))
        .register(registry)
        .increment();
  }

  private Counter deferredCounter(DeferralReason reason) {
    return Counter.builder(SENDS_DEFERRED)
        .description("Due steps not sent when due, by reason")
        .tag("reason", reason.name())
        .register(registry);
  }

  private static String mailbox(long mailboxId) {
    if (mailboxId <= 0) {
      throw new IllegalArgumentException("mailboxId must be a positive internal ID: " + mailboxId);
    }
    return Long.toString(mailboxId);
  }

  /**
   * Keeps a tag value to a short code: anything else (a message, an address) would both leak data
   * into the metrics and create a new series per distinct text.
   */
  static String code(String reason) {
    if (reason == null || !reason.matches("[A-Za-z0-9_]{1,40}")) {
      return "OTHER";
    }
    return reason;
  }
}
