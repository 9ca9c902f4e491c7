package dev.outbound.activities.send;

import dev.outbound.activities.metrics.DeferralReason;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.LimitProperties;
import dev.outbound.crm.capacity.CapacityExhaustedException;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.capacity.Reservation;
import dev.outbound.crm.capacity.ReservationRequest;
import dev.outbound.crm.limits.ClientSendCap;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.workflows.FailureType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.springframework.stereotype.Component;

/**
 * When a step may go out ("caps hold across everything", docs/architecture.md): the client's cap on
 * emails per UTC day first, then a slot on the sending mailbox, which holds its daily cap, minimum
 * gap and jitter, warm-up, recipient-domain throttle and the lead's send window. A step that may
 * not go out yet is deferred to the time it may, and nothing is claimed.
 */
@Component
class Pacer {

  /**
   * A reservation is due but its slot passed this long ago (a worker, SMTP or the database was
   * down): it is given back and a fresh slot taken, so that steps that fell due during an outage go
   * out spaced by the mailbox's minimum gap after it, not in one burst.
   */
  static final Duration LATE_SLOT = Duration.ofSeconds(10);

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ROOT);

  private final ClientSendCap clientSendCap;
  private final LimitProperties limits;
  private final MailboxCapacityStore capacity;
  private final OutboundMetrics metrics;
  private final Failures failures;
  private final Waits waits;
  private final Clock clock;

  Pacer(
      ClientSendCap clientSendCap,
      LimitProperties limits,
      MailboxCapacityStore capacity,
      OutboundMetrics metrics,
      Failures failures,
      Waits waits,
      Clock clock) {
    this.clientSendCap = clientSendCap;
    this.limits = limits;
    this.capacity = capacity;
    this.metrics = metrics;
    this.failures = failures;
    this.waits = waits;
    this.clock = clock;
  }

  /**
   * The due slot the step is sent on.
   *
   * @throws StepAnswer deferring the step when the client used its day or the slot is later, or
   *     holding the lead when its send window never opens
   * @throws io.temporal.failure.ApplicationFailure when the lead's address has no domain
   */
  Reservation slot(SendContext context, Sender sender) {
    requireUnderClientCap(context);
    return reserve(context, sender.mailboxId());
  }

  /**
   * Defers to the next UTC day when the client has used its daily cap. Leads are spread over the
   * new day's first ten minutes (by lead ID) rather than all due at midnight. The cap comes with
   * the send context; only the day's use is counted here.
   */
  private void requireUnderClientCap(SendContext context) {
    Instant dayStart = clock.instant().truncatedTo(ChronoUnit.DAYS);
    int cap = clientCap(context.client(), limits);
    if (clientSendCap.usedSince(context.clientId(), dayStart) < cap) {
      return;
    }
    // A slot held from an earlier deferral goes back to the mailbox for other clients' leads.
    capacity.release(
        context.clientId(), context.campaignId(), context.enrolmentId(), context.stepIndex());
    metrics.deferred(DeferralReason.CLIENT_DAILY_CAP);
    Instant until =
        dayStart.plus(Duration.ofDays(1)).plusSeconds(Math.floorMod(context.enrolmentId(), 600));
    throw waits.until(
        context,
        until,
        "client " + context.clientId() + " reached its cap of " + cap + " emails per day (UTC)");
  }

  /**
   * The client's cap on emails per UTC day: its own, else the configured default (as {@link
   * ClientSendCap#capOf} answers it, without reading the client's row a second time).
   */
  static int clientCap(SendContext.Client client, LimitProperties limits) {
    return client.dailyCap() != null ? client.dailyCap() : limits.maxSendsPerClientPerDay();
  }

  /**
   * Reserves the step's slot on its mailbox. A slot in the future defers the step to it. A due slot
   * that is late, or that the window has closed on since it was reserved, is exchanged for a fresh
   * one.
   */
  private Reservation reserve(SendContext context, long mailboxId) {
    SendContext.Delivery delivery = context.delivery();
    UnaryOperator<Instant> openAt = delivery.openAt();
    // PostgreSQL keeps microseconds: a slot "now" must compare equal to the now it was made from.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String domain;
    try {
      domain = ReservationRequest.domainOf(context.lead().email());
    } catch (IllegalArgumentException e) {
      throw failures.failed(
          context, mailboxId, FailureType.INVALID_ADDRESS, "the lead's address has no domain");
    }
    ReservationRequest request =
        new ReservationRequest(
            context.clientId(),
            context.campaignId(),
            context.enrolmentId(),
            context.stepIndex(),
            mailboxId,
            domain,
            delivery.domainHourlyLimit(),
            now,
            openAt);
    Reservation reservation;
    try {
      reservation = capacity.reserve(request);
      if (reservation.isDue(now)
          && (reservation.slotAt().isBefore(now.minus(LATE_SLOT))
              || openAt.apply(now).isAfter(now))) {
        capacity.release(
            context.clientId(), context.campaignId(), context.enrolmentId(), context.stepIndex());
        reservation = capacity.reserve(request);
      }
    } catch (CapacityExhaustedException e) {
      Instant retry = now.plus(Duration.ofDays(1));
      throw waits.until(context, retry, "mailbox " + mailboxId + ": " + e.getMessage());
    } catch (IllegalStateException e) {
      throw waits.untilMailboxFixed(
          context,
          "the campaign's send window never opens for this lead (" + delivery.window() + ")");
    }
    if (reservation.isDue(now)) {
      return reservation;
    }
    throw deferredTo(context, reservation.slotAt(), openAt.apply(now), now, mailboxId);
  }

  /** Defers the step to its slot, saying whether the window or the mailbox's limits decided it. */
  private StepAnswer deferredTo(
      SendContext context, Instant slotAt, Instant opening, Instant now, long mailboxId) {
    SendContext.Delivery delivery = context.delivery();
    String why;
    DeferralReason reason;
    if (opening.isAfter(now) && !slotAt.isAfter(opening)) {
      why =
          "send window "
              + delivery.window()
              + " closed in "
              + delivery.zone()
              + "; opens "
              + WHEN.format(opening.atZone(delivery.zone()));
      reason = DeferralReason.SEND_WINDOW;
    } else {
      why =
          "mailbox "
              + mailboxId
              + " has no free slot before "
              + WHEN.format(slotAt.atZone(delivery.zone()))
              + " "
              + delivery.zone()
              + " (daily cap, minimum gap or recipient-domain limit)";
      reason =
          slotAt.isAfter(now.plus(Duration.ofHours(12)))
              ? DeferralReason.DAILY_CAP
              : DeferralReason.MIN_GAP;
    }
    metrics.deferred(reason);
    return waits.until(context, slotAt, why);
  }
}
