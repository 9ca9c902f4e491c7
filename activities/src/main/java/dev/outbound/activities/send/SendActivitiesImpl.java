package dev.outbound.activities.send;

import dev.outbound.activities.ActivityFailures;
import dev.outbound.activities.Heartbeat;
import dev.outbound.activities.alerts.AlertProperties;
import dev.outbound.activities.alerts.MailboxPauseReason;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.activities.alerts.OperatorAlerts;
import dev.outbound.activities.metrics.DeferralReason;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.activities.send.FaultInjection.HaltPoint;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.capacity.CapacityExhaustedException;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.capacity.Reservation;
import dev.outbound.crm.capacity.ReservationRequest;
import dev.outbound.crm.limits.ClientSendCap;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.LedgerEntry;
import dev.outbound.crm.sequence.LedgerStatus;
import dev.outbound.crm.sequence.MailboxSettings;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.sequence.SendContextStore;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.crm.sequence.SendLedgerStore.FollowUp;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.suppression.SuppressionStore.Suppression;
import dev.outbound.vocabulary.network.HostPolicy;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.template.MissingVariableException;
import dev.outbound.vocabulary.template.Template;
import dev.outbound.vocabulary.template.TemplateException;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import dev.outbound.workflows.FailureType;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SendActivities;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * See {@link SendActivities}. The order of the checks is the guarantee (DESIGN.md section 2): lead
 * and campaign status first, then the ledger (one send per step, ever), then rendering (a broken
 * template holds the lead before anything is claimed), then the mailbox (a mailbox that cannot send
 * holds the lead before anything is claimed), then the claim, and only then SMTP. The claim checks
 * the lead's and the campaign's status again in the same statement, so a stop or a pause committed
 * at any time before it wins.
 *
 * <p>Whose problem a failure is decides what happens: the recipient's (a 5xx to RCPT TO or DATA, an
 * unusable address) fails the step for good; the sending mailbox's (credentials, sender rejected,
 * quota, settings that cannot be used) releases the claim and returns {@link SendOutcome#HELD}, so
 * the lead waits for an operator instead of failing; a passing one is retried.
 */
@Component("sendActivities")
public class SendActivitiesImpl implements SendActivities {

  private static final Logger log = LoggerFactory.getLogger(SendActivitiesImpl.class);

  private final SendContextStore contexts;
  private final SendLedgerStore ledger;
  private final EnrolmentStore enrolments;
  private final TimelineStore timeline;
  private final CredentialCipher cipher;
  private final SmtpMailer mailer;
  private final FaultInjection faults;
  private final MailboxCapacityStore capacity;
  private final Clock clock;
  private final OutboundMetrics metrics;
  private final OperatorAlerts alerts;
  private final UnsubscribeTokens unsubscribeTokens;
  private final SuppressionStore suppressions;
  private MailboxPauses mailboxPauses;
  private ClientSendCap clientSendCap;
  private HostPolicy hostPolicy;

  /**
   * How long after an attempt started it keeps trying to record an accepted send: below the send
   * activity's 5-minute start-to-close timeout (LeadSequenceWorkflowImpl), with room for the last
   * try.
   */
  static final java.time.Duration COMMIT_BUDGET = Duration.ofSeconds(270);

  /** Well inside the send activity's 30-second heartbeat timeout (LeadSequenceWorkflowImpl). */
  private static final java.time.Duration HEARTBEAT_PERIOD = Duration.ofSeconds(5);

  /**
   * Without fault injection, metrics or alerts (tests that build the activity by hand).
   *
   * @param capacity the mailbox reservations (daily cap, minimum gap, domain throttle, window)
   * @param clock the time the window and the reservations are evaluated at
   * @param unsubscribeTokens signs the unsubscribe link each email carries
   * @param suppressions the client's suppression list, checked right before the claim
   */
  public SendActivitiesImpl(
      SendContextStore contexts,
      SendLedgerStore ledger,
      EnrolmentStore enrolments,
      TimelineStore timeline,
      CredentialCipher cipher,
      SmtpMailer mailer,
      MailboxCapacityStore capacity,
      Clock clock,
      UnsubscribeTokens unsubscribeTokens,
      SuppressionStore suppressions) {
    this(
        contexts,
        ledger,
        enrolments,
        timeline,
        cipher,
        mailer,
        FaultInjection.OFF,
        capacity,
        clock,
        new OutboundMetrics(new SimpleMeterRegistry()),
        new OperatorAlerts(AlertProperties.off()),
        unsubscribeTokens,
        suppressions);
  }

  /**
   * @param faults test-only halt points around the send (off unless a test property sets them)
   * @param metrics the product's counters (sent, failed, deferred, ambiguous)
   * @param alerts the operators' webhook (ambiguous sends need a human)
   */
  public SendActivitiesImpl(
      SendContextStore contexts,
      SendLedgerStore ledger,
      EnrolmentStore enrolments,
      TimelineStore timeline,
      CredentialCipher cipher,
      SmtpMailer mailer,
      FaultInjection faults,
      MailboxCapacityStore capacity,
      Clock clock,
      OutboundMetrics metrics,
      OperatorAlerts alerts,
      UnsubscribeTokens unsubscribeTokens,
      SuppressionStore suppressions) {
    this.unsubscribeTokens = unsubscribeTokens;
    this.suppressions = suppressions;
    this.metrics = metrics;
    this.alerts = alerts;
    this.contexts = contexts;
    this.ledger = ledger;
    this.enrolments = enrolments;
    this.timeline = timeline;
    this.cipher = cipher;
    this.mailer = mailer;
    this.faults = faults;
    this.capacity = capacity;
    this.clock = clock;
  }

  @Autowired
  SendActivitiesImpl(
      SendContextStore contexts,
      SendLedgerStore ledger,
      EnrolmentStore enrolments,
      TimelineStore timeline,
      CredentialCipher cipher,
      SmtpMailer mailer,
      FaultInjection faults,
      MailboxCapacityStore capacity,
      OutboundMetrics metrics,
      OperatorAlerts alerts,
      UnsubscribeTokens unsubscribeTokens,
      SuppressionStore suppressions) {
    this(
        contexts,
        ledger,
        enrolments,
        timeline,
        cipher,
        mailer,
        faults,
        capacity,
        Clock.systemUTC(),
        metrics,
        alerts,
        unsubscribeTokens,
        suppressions);
  }

  /**
   * Pauses the mailbox (and alerts) when its server refuses the login or the sender. Set by Spring;
   * without it (tests that build the activity by hand) such a failure only holds the lead.
   */
  @Autowired(required = false)
  public void setMailboxPauses(MailboxPauses mailboxPauses) {
    this.mailboxPauses = mailboxPauses;
  }

  /**
   * The client's cap on emails per UTC day. Set by Spring; without it (tests that build the
   * activity by hand) no client cap applies.
   */
  @Autowired(required = false)
  public void setClientSendCap(ClientSendCap clientSendCap) {
    this.clientSendCap = clientSendCap;
  }

  /**
   * Checks the SMTP host again right before connecting (its DNS answer may have changed since the
   * API checked it). Set by Spring; without it (tests that build the activity by hand) no check.
   */
  @Autowired(required = false)
  public void setHostPolicy(HostPolicy hostPolicy) {
    this.hostPolicy = hostPolicy;
  }

  @Override
  public SendResult sendStep(LeadRef lead, int stepIndex) {
    // The SMTP exchange can take minutes; heartbeats let a crashed worker's send be retried within
    // the heartbeat timeout. Overlap with a still-running attempt is safe (conditional claim).
    try (Heartbeat beat = Heartbeat.every(HEARTBEAT_PERIOD)) {
      return send(lead, stepIndex, null);
    }
  }

  @Override
  public SendResult sendStepAndSchedule(
      LeadRef lead, int stepIndex, PlannedStep next, int totalSteps) {
    After after = new After(next, totalSteps);
    try (Heartbeat beat = Heartbeat.every(HEARTBEAT_PERIOD)) {
      SendResult result = send(lead, stepIndex, after);
      if (result.outcome() == SendOutcome.ALREADY_SENT) {
        return afterAlreadySent(lead, stepIndex, after, result);
      }
      return result;
    }
  }

  /**
   * Where the sequence goes after the step ({@link #sendStepAndSchedule}): the next step, or none
   * after the last.
   */
  private record After(PlannedStep next, int totalSteps) {

    /** What the send's transaction records, with the next step due {@code delay} after now. */
    FollowUp followUp(int stepIndex, Instant now) {
      if (next == null) {
        return new FollowUp(
            LeadStatus.COMPLETED.name(),
            null,
            "COMPLETED step " + stepIndex,
            TimelineEvent.COMPLETED,
            stepIndex,
            "all " + totalSteps + " steps handled");
      }
      return new FollowUp(
          LeadStatus.ACTIVE.name(),
          now.plusSeconds(next.delaySeconds()),
          "SCHEDULED step " + next.index(),
          TimelineEvent.SCHEDULED,
          next.index(),
          "step " + next.index() + " due in " + next.delaySeconds() + "s");
    }
  }

  /**
   * A step found sent already (a retry after the send committed, or a step an operator marked
   * sent): the next step's due time an earlier attempt recorded with the send, or, when none did,
   * the follow-up recorded now (each write is conditional, so a repeat adds nothing).
   */
  private SendResult afterAlreadySent(LeadRef lead, int stepIndex, After after, SendResult result) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    FollowUp followUp = after.followUp(stepIndex, now);
    if (after.next() != null) {
      Optional<Instant> recorded =
          enrolments.nextSendAtIf(
              lead.clientId(), lead.campaignId(), lead.leadId(), followUp.lastOutcome());
      if (recorded.isPresent()) {
        return result.withNextDueAt(recorded.get().toEpochMilli());
      }
    }
    boolean applied =
        enrolments.recordProgress(
            lead.clientId(),
            lead.campaignId(),
            lead.leadId(),
            followUp.status(),
            stepIndex,
            followUp.nextSendAt(),
            followUp.lastOutcome());
    if (applied) {
      timeline.appendUnlessRepeated(
          lead.clientId(),
          lead.leadId(),
          followUp.event(),
          followUp.eventStep(),
          followUp.eventDetail());
    }
    if (after.next() == null) {
      capacity.releaseAllOf(lead.clientId(), lead.leadId());
      return result;
    }
    return applied ? result.withNextDueAt(followUp.nextSendAt().toEpochMilli()) : result;
  }

  private SendResult send(LeadRef lead, int stepIndex, After after) {
    long started = System.nanoTime();
    SendContext context =
        contexts
            .load(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex)
            .orElseThrow(
                () ->
                    ActivityFailures.notFound(
                        "lead "
                            + lead.leadId()
                            + " of campaign "
                            + lead.campaignId()
                            + " or its step "
                            + stepIndex
                            + " does not exist for client "
                            + lead.clientId()));

    SendResult stopped = stopped(context.enrolmentStatus(), context.campaignStatus());
    if (stopped != null) {
      // A slot held from an earlier deferral goes back to the mailbox.
      capacity.release(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex);
      return stopped;
    }

    SendResult settled = settleEarlierClaim(lead, stepIndex);
    if (settled != null) {
      return settled;
    }

    Rendered rendered;
    try {
      rendered =
          render(
              context,
              unsubscribeTokens.url(unsubscribeTokens.issue(lead.clientId(), lead.leadId())),
              context.client().postalAddress());
    } catch (MissingVariableException | TemplateException e) {
      // Both messages name the variable or the template position, never a lead's value.
      metrics.deferred(DeferralReason.TEMPLATE_PROBLEM);
      return SendResult.of(SendOutcome.HELD, null, e.getMessage());
    }
    if (Headers.hasLineBreak(rendered.subject())) {
      return SendResult.of(
          SendOutcome.HELD, null, "the subject of step " + stepIndex + " contains a line break");
    }

    MailboxSettings mailbox;
    InternetAddress from;
    SmtpAccount account;
    String messageId;
    UnsubscribeTokens.Headers unsubscribe;
    try {
      mailbox = mailboxOf(context);
      from = sender(mailbox);
      account = account(mailbox);
      checkHost(lead, mailbox);
      messageId = messageId(lead, stepIndex, mailbox);
      unsubscribe = unsubscribeHeaders(lead, mailbox);
    } catch (MailboxProblem problem) {
      return held(lead, stepIndex, problem.getMessage());
    }

    SendResult capped = overClientCap(lead, stepIndex);
    if (capped != null) {
      return capped;
    }

    Slot slot;
    try {
      slot = slot(context, lead, stepIndex, mailbox);
    } catch (MailboxProblem problem) {
      return held(lead, stepIndex, problem.getMessage());
    }
    if (slot.deferral() != null) {
      return slot.deferral();
    }

    // The last look at the suppression list before the claim: an unsubscribe or a suppression
    // added while this attempt rendered and reserved still wins (DESIGN.md section 2, item 4).
    Optional<Suppression> suppressed = suppressions.match(lead.clientId(), context.lead().email());
    if (suppressed.isPresent()) {
      return suppressed(lead, stepIndex, suppressed.get());
    }

    faults.reached(HaltPoint.BEFORE_CLAIM);
    OptionalLong claimed =
        ledger.claim(
            lead.clientId(),
            lead.campaignId(),
            lead.leadId(),
            stepIndex,
            mailbox.id(),
            messageId,
            context.variant());
    if (claimed.isEmpty()) {
      // Nothing inserted: another attempt claimed the step, or a stop or pause got in since the
      // first read. The database decided; its rows say what to do.
      SendResult instead = afterRefusedClaim(lead, stepIndex);
      if (instead != null) {
        return instead;
      }
      // An unfinished claim that never reached SMTP was freed: claim once more.
      claimed =
          ledger.claim(
              lead.clientId(),
              lead.campaignId(),
              lead.leadId(),
              stepIndex,
              mailbox.id(),
              messageId,
              context.variant());
      if (claimed.isEmpty()) {
        throw new TransientSendException("step " + stepIndex + " could not be claimed; retry");
      }
    }
    long claimId = claimed.getAsLong();
    // The slot is spent from here on: the send is under way (a failure that frees the claim
    // frees the slot too).
    capacity.markUsed(lead.clientId(), slot.reservation().id());
    faults.reached(HaltPoint.AFTER_CLAIM);

    // From here on the step is claimed: every way out marks, releases or keeps the claim on
    // purpose.
    InternetAddress to;
    try {
      to = recipient(context.lead().email());
    } catch (AddressException e) {
      throw fail(
          lead,
          stepIndex,
          mailbox.id(),
          FailureType.INVALID_ADDRESS,
          "the lead's address is not valid");
    }
    List<String> earlier =
        stepIndex > 1
            ? ledger.earlierMessageIds(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex)
            : List.of();
    OutgoingEmail email =
        new OutgoingEmail(
            messageId,
            from,
            to,
            rendered.subject(),
            rendered.text(),
            rendered.html(),
            earlier,
            unsubscribe.listUnsubscribe(),
            unsubscribe.listUnsubscribePost());

    try {
      // The content goes out only once the claim records that it may have: a retry that finds the
      // claim without that mark knows nothing was delivered (see settleEarlierClaim).
      mailer.send(account, email, () -> ledger.markContentStarted(lead.clientId(), claimId));
    } catch (SmtpFailure failure) {
      return afterFailure(lead, stepIndex, mailbox, claimId, messageId, failure);
    }
    faults.reached(HaltPoint.AFTER_SMTP_ACCEPTED);

    // With the follow-up (next step scheduled, or the lead completed) in the same transaction. In
    // milliseconds, like the workflow's timer: the lead's next_send_at is exactly what it waits
    // for.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    FollowUp followUp = after == null ? null : after.followUp(stepIndex, now);
    boolean recorded = recordSent(lead, stepIndex, mailbox, messageId, started, followUp);
    metrics.emailSent(mailbox.id());
    faults.reached(HaltPoint.AFTER_COMMIT);
    if (!recorded) {
      log.warn(
          "Step {} of lead {} (campaign {}) was sent but its claim was gone when marking it sent",
          stepIndex,
          lead.leadId(),
          lead.campaignId());
    }
    log.info(
        "Sent step {} of lead {} (campaign {}) from mailbox {}",
        stepIndex,
        lead.leadId(),
        lead.campaignId(),
        mailbox.id());
    SendResult sent =
        SendResult.of(SendOutcome.SENT, messageId, "sent from mailbox " + mailbox.id());
    if (followUp == null || !recorded) {
      // Nothing recorded beyond the send: the workflow schedules the next step itself.
      return sent;
    }
    if (followUp.nextSendAt() == null) {
      // The lead completed: a slot it still held for nothing goes back to the mailbox.
      capacity.releaseAllOf(lead.clientId(), lead.leadId());
      return sent;
    }
    return sent.withNextDueAt(followUp.nextSendAt().toEpochMilli());
  }

  /**
   * Ends a lead whose address (or domain) is suppressed: nothing is claimed or sent, the slot goes
   * back to the mailbox, and the lead becomes {@code UNSUBSCRIBED} with a {@code SUPPRESSED}
   * timeline event naming the entry's kind and reason (not the address).
   */
  private SendResult suppressed(LeadRef lead, int stepIndex, Suppression entry) {
    capacity.release(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex);
    String why =
        "the "
            + entry.kind().name().toLowerCase(Locale.ROOT)
            + " is on the suppression list ("
            + entry.reason()
            + ", entry "
            + entry.id()
            + ")";
    enrolments.markSuppressed(lead.clientId(), lead.campaignId(), lead.leadId(), why);
    log.info(
        "Step {} of lead {} (campaign {}) not sent: {}",
        stepIndex,
        lead.leadId(),
        lead.campaignId(),
        why);
    return new SendResult(
        SendOutcome.LEAD_STOPPED,
        null,
        LeadStatus.UNSUBSCRIBED,
        "step " + stepIndex + " not sent: " + why);
  }

  /**
   * The lead's {@code List-Unsubscribe} headers; the mailto address is on the sending mailbox's
   * domain unless one is configured.
   *
   * @throws MailboxProblem when the mailbox address has no usable domain
   */
  private UnsubscribeTokens.Headers unsubscribeHeaders(LeadRef lead, MailboxSettings mailbox) {
    try {
      return unsubscribeTokens.headers(lead.clientId(), lead.leadId(), mailbox.email());
    } catch (IllegalArgumentException e) {
      throw misconfigured(mailbox, e.getMessage());
    }
  }

  /**
   * Records a send that SMTP accepted. This process knows the email went out, so a database that is
   * down now is waited for (with backoff, while the activity heartbeats) rather than given up on: a
   * retry by another attempt could only call the step ambiguous. The wait ends before the
   * activity's start-to-close timeout; only then does the failure propagate (and a later attempt
   * flags the step ambiguous, as after a crash at this point).
   */
  private boolean recordSent(
      LeadRef lead,
      int stepIndex,
      MailboxSettings mailbox,
      String messageId,
      long started,
      FollowUp followUp) {
    long giveUpAt = started + COMMIT_BUDGET.toNanos();
    long pause = 500;
    while (true) {
      try {
        String detail = "mailbox " + mailbox.id() + ", Message-ID " + messageId;
        return followUp == null
            ? ledger.recordSent(
                lead.clientId(),
                lead.campaignId(),
                lead.leadId(),
                stepIndex,
                "SENT step " + stepIndex,
                detail)
            : ledger.recordSent(
                lead.clientId(),
                lead.campaignId(),
                lead.leadId(),
                stepIndex,
                "SENT step " + stepIndex,
                detail,
                followUp);
      } catch (DataAccessException | TransactionException e) {
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > giveUpAt) {
          throw e;
        }
        log.warn(
            "Step {} of lead {} (campaign {}) was accepted by SMTP; recording it failed, retrying"
                + " in {} ms: {}",
            stepIndex,
            lead.leadId(),
            lead.campaignId(),
            pause,
            e.getMessage());
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause = Math.min(pause * 2, 10_000);
      }
    }
  }

  /**
   * A reservation is due but its slot passed this long ago (a worker, SMTP or the database was
   * down): it is given back and a fresh slot taken, so that steps that fell due during an outage go
   * out spaced by the mailbox's minimum gap after it, not in one burst.
   */
  static final Duration LATE_SLOT = Duration.ofSeconds(10);

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm", Locale.ROOT);

  /** The step's slot: a due reservation to send on, or the deferral to answer instead. */
  private record Slot(Reservation reservation, SendResult deferral) {}

  /**
   * Reserves the step's slot on its mailbox (daily cap, minimum gap and jitter, warm-up,
   * recipient-domain throttle, and the lead's send window; DESIGN.md section 2, "caps hold across
   * everything"). A slot in the future defers the step to it: the lead's {@code next_send_at} and
   * timeline say until when and why, and the workflow waits for that instant (recorded in its
   * history as this activity's result). A due slot that is late, or that the window has closed on
   * since it was reserved, is exchanged for a fresh one.
   */
  private Slot slot(SendContext context, LeadRef lead, int stepIndex, MailboxSettings mailbox) {
    SendContext.Delivery delivery = context.delivery();
    UnaryOperator<Instant> openAt = delivery.openAt();
    // PostgreSQL keeps microseconds: a slot "now" must compare equal to the now it was made from.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String domain;
    try {
      domain = ReservationRequest.domainOf(context.lead().email());
    } catch (IllegalArgumentException e) {
      throw fail(
          lead,
          stepIndex,
          mailbox.id(),
          FailureType.INVALID_ADDRESS,
          "the lead's address has no domain");
    }
    ReservationRequest request =
        new ReservationRequest(
            lead.clientId(),
            lead.campaignId(),
            lead.leadId(),
            stepIndex,
            mailbox.id(),
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
        capacity.release(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex);
        reservation = capacity.reserve(request);
      }
    } catch (CapacityExhaustedException e) {
      Instant retry = now.plus(Duration.ofDays(1));
      return new Slot(
          null, defer(lead, stepIndex, retry, "mailbox " + mailbox.id() + ": " + e.getMessage()));
    } catch (IllegalStateException e) {
      throw new MailboxProblem(
          "the campaign's send window never opens for this lead (" + delivery.window() + ")");
    }
    if (reservation.isDue(now)) {
      return new Slot(reservation, null);
    }
    Instant opening = openAt.apply(now);
    String why;
    if (opening.isAfter(now) && !reservation.slotAt().isAfter(opening)) {
      why =
          "send window "
              + delivery.window()
              + " closed in "
              + delivery.zone()
              + "; opens "
              + WHEN.format(opening.atZone(delivery.zone()));
    } else {
      why =
          "mailbox "
              + mailbox.id()
              + " has no free slot before "
              + WHEN.format(reservation.slotAt().atZone(delivery.zone()))
              + " "
              + delivery.zone()
              + " (daily cap, minimum gap or recipient-domain limit)";
    }
    metrics.deferred(
        why.startsWith("send window")
            ? DeferralReason.SEND_WINDOW
            : reservation.slotAt().isAfter(now.plus(Duration.ofHours(12)))
                ? DeferralReason.DAILY_CAP
                : DeferralReason.MIN_GAP);
    return new Slot(null, defer(lead, stepIndex, reservation.slotAt(), why));
  }

  /**
   * A deferral to the next UTC day when the client has used its daily cap, else null. Leads are
   * spread over the new day's first ten minutes (by lead ID) rather than all due at midnight.
   */
  private SendResult overClientCap(LeadRef lead, int stepIndex) {
    if (clientSendCap == null) {
      return null;
    }
    Instant dayStart = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    int cap = clientSendCap.capOf(lead.clientId());
    if (clientSendCap.usedSince(lead.clientId(), dayStart) < cap) {
      return null;
    }
    // A slot held from an earlier deferral goes back to the mailbox for other clients' leads.
    capacity.release(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex);
    metrics.deferred(DeferralReason.CLIENT_DAILY_CAP);
    Instant until =
        dayStart.plus(Duration.ofDays(1)).plusSeconds(Math.floorMod(lead.leadId(), 600));
    return defer(
        lead,
        stepIndex,
        until,
        "client " + lead.clientId() + " reached its cap of " + cap + " emails per day (UTC)");
  }

  private SendResult defer(LeadRef lead, int stepIndex, Instant until, String why) {
    enrolments.recordDeferral(
        lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex, until, why);
    log.info(
        "Step {} of lead {} (campaign {}) deferred until {}: {}",
        stepIndex,
        lead.leadId(),
        lead.campaignId(),
        until,
        why);
    return SendResult.deferred(until.toEpochMilli(), "step " + stepIndex + " deferred: " + why);
  }

  /** The outcome when the lead or the campaign does not allow sending, or null when they do. */
  private static SendResult stopped(String enrolmentStatus, String campaignStatus) {
    LeadStatus status = LeadStatus.valueOf(enrolmentStatus);
    if (status.isTerminal()) {
      return new SendResult(
          SendOutcome.LEAD_STOPPED, null, status, "lead is " + status + "; step not sent");
    }
    if ("STOPPED".equals(campaignStatus)) {
      return SendResult.of(SendOutcome.CAMPAIGN_STOPPED, null, "campaign is stopped");
    }
    if ("PAUSED".equals(campaignStatus)) {
      return SendResult.of(SendOutcome.CAMPAIGN_PAUSED, null, "campaign is paused");
    }
    if (!"ACTIVE".equals(campaignStatus)) {
      // A campaign that was never started (DRAFT) sends nothing either; the claim refuses it too.
      return SendResult.of(
          SendOutcome.CAMPAIGN_PAUSED, null, "campaign is " + campaignStatus + ", not active");
    }
    return null;
  }

  /**
   * Acts on an earlier claim of the step: returns what to answer, or null when there is none (any
   * more) and this attempt may claim and send. A claim left {@code SENDING} without its content
   * mark never reached SMTP (the attempt died, or its release failed, before the content went out),
   * so it is freed and sent again; one with the mark may have been delivered and is flagged
   * ambiguous. The delete is conditional on the mark, so an attempt that is still running and marks
   * first wins, and one that marks later finds its claim gone and does not send.
   */
  private SendResult settleEarlierClaim(LeadRef lead, int stepIndex) {
    for (int look = 0; look < 3; look++) {
      Optional<LedgerEntry> found =
          ledger.find(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex);
      if (found.isEmpty()) {
        return null;
      }
      LedgerEntry entry = found.get();
      if (entry.status() != LedgerStatus.SENDING || entry.contentStarted()) {
        return settle(lead, stepIndex, entry);
      }
      if (ledger.releaseUnstarted(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex)) {
        log.info(
            "Step {} of lead {} (campaign {}) had a claim that never reached SMTP; sending again",
            stepIndex,
            lead.leadId(),
            lead.campaignId());
        return null;
      }
      // The row changed between the read and the delete: look again.
    }
    throw new TransientSendException("step " + stepIndex + " claim keeps changing; retry");
  }

  /**
   * After a claim that inserted nothing: the earlier claim's outcome, or the stop or pause that
   * refused it, or null when the step is free again (an unfinished claim was freed).
   */
  private SendResult afterRefusedClaim(LeadRef lead, int stepIndex) {
    SendResult settled = settleEarlierClaim(lead, stepIndex);
    if (settled != null) {
      return settled;
    }
    String enrolmentStatus =
        enrolments.status(lead.clientId(), lead.campaignId(), lead.leadId()).orElse(null);
    String campaignStatus =
        enrolments.campaignStatus(lead.clientId(), lead.campaignId()).orElse(null);
    if (enrolmentStatus == null || campaignStatus == null) {
      throw ActivityFailures.notFound(
          "lead " + lead.leadId() + " of campaign " + lead.campaignId() + " no longer exists");
    }
    SendResult stopped = stopped(enrolmentStatus, campaignStatus);
    if (stopped != null) {
      log.info(
          "Step {} of lead {} (campaign {}) not claimed: {}",
          stepIndex,
          lead.leadId(),
          lead.campaignId(),
          stopped.detail());
    }
    return stopped;
  }

  /** Acts on a step that was claimed before: by an earlier attempt, or by a racing one. */
  private SendResult settle(LeadRef lead, int stepIndex, LedgerEntry entry) {
    return switch (entry.status()) {
      case SENT ->
          SendResult.of(
              SendOutcome.ALREADY_SENT,
              entry.messageId(),
              "step " + stepIndex + " was already sent");
      case AMBIGUOUS ->
          SendResult.of(
              SendOutcome.AMBIGUOUS,
              entry.messageId(),
              "step " + stepIndex + " is ambiguous and is not sent again");
      case SENDING ->
          ambiguous(
              lead,
              stepIndex,
              entry.mailboxId(),
              entry.messageId(),
              "an earlier attempt handed it to SMTP and did not record the outcome");
      case FAILED ->
          throw ActivityFailures.nonRetryable(
              failureTypeOf(entry.error()),
              "step " + stepIndex + " was rejected permanently before: " + entry.error());
    };
  }

  private SendResult afterFailure(
      LeadRef lead,
      int stepIndex,
      MailboxSettings mailbox,
      long claimId,
      String messageId,
      SmtpFailure failure) {
    String why = failure.getMessage();
    switch (failure.kind()) {
      case PERMANENT -> throw fail(lead, stepIndex, mailbox.id(), FailureType.SMTP_PERMANENT, why);
      case INVALID_ADDRESS ->
          throw fail(lead, stepIndex, mailbox.id(), FailureType.INVALID_ADDRESS, why);
      case AMBIGUOUS -> {
        return ambiguous(lead, stepIndex, mailbox.id(), messageId, why);
      }
      case MAILBOX -> {
        // Nothing was sent, and the lead is not at fault: free the step for after the fix.
        ledger.release(lead.clientId(), claimId);
        capacity.release(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex);
        if (failure.pauseReason() != null && mailboxPauses != null) {
          // Every other lead of the mailbox would fail the same way: stop them all at once.
          mailboxPauses.pause(lead.clientId(), mailbox.id(), failure.pauseReason());
        }
        return held(lead, stepIndex, "mailbox " + mailbox.id() + ": " + why);
      }
      default -> {
        ledger.release(lead.clientId(), claimId);
        metrics.deferred(DeferralReason.TRANSIENT_SMTP);
        log.warn(
            "Step {} of lead {} (campaign {}) not sent from mailbox {}, will retry: {}",
            stepIndex,
            lead.leadId(),
            lead.campaignId(),
            mailbox.id(),
            why);
        throw new TransientSendException(
            "step " + stepIndex + " not sent from mailbox " + mailbox.id() + ": " + why);
      }
    }
  }

  /**
   * The lead waits for an operator: its mailbox cannot send. Nothing is claimed (or the claim was
   * released). The workflow writes the {@code HELD} timeline event with this reason, as for a
   * template that cannot be rendered, so the activity writes none.
   */
  private SendResult held(LeadRef lead, int stepIndex, String problem) {
    metrics.deferred(DeferralReason.MAILBOX_PROBLEM);
    String reason = problem + "; fix the mailbox, then resume";
    log.warn(
        "Step {} of lead {} (campaign {}) held: {}",
        stepIndex,
        lead.leadId(),
        lead.campaignId(),
        reason);
    return SendResult.of(SendOutcome.HELD, null, reason);
  }

  /**
   * Flags the step ambiguous (once, however often this runs) and sends nothing: by policy an email
   * that may have gone out is never sent again silently; an operator looks at it.
   */
  private SendResult ambiguous(
      LeadRef lead, int stepIndex, long mailboxId, String messageId, String why) {
    if (ledger.markAmbiguous(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex, why)) {
      metrics.ambiguousSend(mailboxId);
      alerts.ambiguousSend(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex, mailboxId);
      timeline.append(
          lead.clientId(),
          lead.leadId(),
          TimelineEvent.AMBIGUOUS,
          stepIndex,
          "mailbox "
              + mailboxId
              + ", Message-ID "
              + messageId
              + ": "
              + why
              + "; not sent again, check the mailbox's sent folder");
      log.warn(
          "Step {} of lead {} (campaign {}) is ambiguous: {}",
          stepIndex,
          lead.leadId(),
          lead.campaignId(),
          why);
    }
    return SendResult.of(
        SendOutcome.AMBIGUOUS, messageId, "step " + stepIndex + " is ambiguous: " + why);
  }

  /** Marks the claim failed (once), notes it on the timeline, and returns the failure to throw. */
  private ApplicationFailure fail(
      LeadRef lead, int stepIndex, long mailboxId, FailureType type, String why) {
    String error = type.name() + ": " + why;
    metrics.emailFailed(mailboxId, type.name());
    if (ledger.markFailed(lead.clientId(), lead.campaignId(), lead.leadId(), stepIndex, error)) {
      timeline.append(lead.clientId(), lead.leadId(), TimelineEvent.SEND_FAILED, stepIndex, error);
    }
    log.warn(
        "Step {} of lead {} (campaign {}) failed permanently: {}",
        stepIndex,
        lead.leadId(),
        lead.campaignId(),
        error);
    return ActivityFailures.nonRetryable(type, "step " + stepIndex + " failed: " + error);
  }

  /** The failure type a FAILED row was recorded with (its error starts with the type's name). */
  private static FailureType failureTypeOf(String error) {
    if (error != null) {
      for (FailureType type : FailureType.values()) {
        if (error.startsWith(type.name() + ":")) {
          return type;
        }
      }
    }
    return FailureType.SMTP_PERMANENT;
  }

  /**
   * The lead's mailbox (assigned on first use), if it can send.
   *
   * @throws MailboxProblem when there is none or it cannot send, with an operator's reason
   */
  private MailboxSettings mailboxOf(SendContext context) {
    Long mailboxId = context.mailboxId();
    if (mailboxId == null) {
      // A new lead goes to the pool mailbox with the most spare capacity; once assigned it stays.
      Optional<Long> roomiest =
          capacity.pickMailbox(context.clientId(), context.campaignId(), clock.instant());
      mailboxId =
          (roomiest.isPresent()
                  ? contexts.assignMailbox(
                      context.clientId(),
                      context.campaignId(),
                      context.enrolmentId(),
                      roomiest.get())
                  : contexts.assignMailbox(
                      context.clientId(), context.campaignId(), context.enrolmentId()))
              .orElseThrow(
                  () ->
                      new MailboxProblem(
                          "campaign " + context.campaignId() + " has no mailbox in its pool"));
    }
    long id = mailboxId;
    MailboxSettings mailbox =
        contexts
            .mailbox(context.clientId(), id)
            .orElseThrow(
                () ->
                    new MailboxProblem(
                        "mailbox " + id + " does not exist for client " + context.clientId()));
    if (!"ACTIVE".equals(mailbox.status())) {
      throw misconfigured(mailbox, "it is " + mailbox.status());
    }
    if (mailbox.smtpHost() == null || mailbox.smtpHost().isBlank()) {
      throw misconfigured(mailbox, "it has no SMTP host");
    }
    return mailbox;
  }

  private static InternetAddress sender(MailboxSettings mailbox) {
    if (Headers.hasLineBreak(mailbox.email()) || Headers.hasLineBreak(mailbox.displayName())) {
      throw misconfigured(mailbox, "its address or display name contains a line break");
    }
    try {
      InternetAddress address = new InternetAddress(mailbox.email(), true);
      address.setPersonal(mailbox.displayName(), "UTF-8");
      return address;
    } catch (AddressException | UnsupportedEncodingException e) {
      throw misconfigured(mailbox, "its address is not valid");
    }
  }

  /**
   * The SMTP host again, right before connecting: its DNS answer may have changed since the API
   * checked it (DNS rebinding). A host that now resolves to an internal address pauses the mailbox.
   */
  private void checkHost(LeadRef lead, MailboxSettings mailbox) {
    if (hostPolicy == null) {
      return;
    }
    Optional<String> refusal = hostPolicy.refusal(mailbox.smtpHost());
    if (refusal.isPresent()) {
      if (mailboxPauses != null) {
        mailboxPauses.pause(lead.clientId(), mailbox.id(), MailboxPauseReason.HOST_NOT_ALLOWED);
      }
      throw misconfigured(mailbox, "its SMTP host " + refusal.get());
    }
  }

  private SmtpAccount account(MailboxSettings mailbox) {
    String password;
    try {
      password = cipher.decrypt(mailbox.smtpPasswordEnc());
    } catch (IllegalStateException e) {
      throw misconfigured(mailbox, "its SMTP password does not decrypt with the configured key");
    }
    String username = mailbox.smtpUsername();
    if (username != null && username.isBlank()) {
      username = null;
    }
    return new SmtpAccount(
        mailbox.id(),
        mailbox.smtpHost(),
        mailbox.smtpPort(),
        username,
        password,
        mailbox.smtpTls());
  }

  private static String messageId(LeadRef lead, int stepIndex, MailboxSettings mailbox) {
    try {
      return MessageIds.of(lead.campaignId(), lead.leadId(), stepIndex, mailbox.email());
    } catch (IllegalArgumentException e) {
      throw misconfigured(mailbox, e.getMessage());
    }
  }

  private static MailboxProblem misconfigured(MailboxSettings mailbox, String why) {
    return new MailboxProblem("mailbox " + mailbox.id() + ": " + why);
  }

  /**
   * The sending mailbox cannot send; the message is an operator's reason without personal data.
   * Control flow inside this class only: it becomes a {@link SendOutcome#HELD} result.
   */
  private static final class MailboxProblem extends RuntimeException {

    MailboxProblem(String message) {
      super(message, null, false, false);
    }
  }

  private static InternetAddress recipient(String email) throws AddressException {
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

  private static Rendered render(SendContext context, URI unsubscribeUrl, String postalAddress) {
    Map<String, String> values = LeadValues.of(context.lead());
    String subject;
    if (context.stepIndex() > 1
        && context.subject().isBlank()
        && context.firstStepSubject() != null) {
      // A follow-up without its own subject answers the first email, like a person would.
      subject =
          "Re: "
              + Template.parse(context.firstStepSubject()).render(values, Template::stripControl);
    } else {
      subject = Template.parse(context.subject()).render(values, Template::stripControl);
    }
    String text = Template.parse(context.body()).render(values, Template::plain);
    return new Rendered(
        subject,
        text + textFooter(unsubscribeUrl, postalAddress),
        html(text, htmlFooter(unsubscribeUrl, postalAddress)));
  }

  /**
   * The plain-text footer: the unsubscribe link and, when the client has one, its postal address
   * (CAN-SPAM asks for both in every commercial email).
   */
  static String textFooter(URI unsubscribeUrl, String postalAddress) {
    StringBuilder footer = new StringBuilder("\n\n-- \nTo stop receiving these emails: ");
    footer.append(unsubscribeUrl);
    if (postalAddress != null) {
      footer.append('\n').append(postalAddress.strip());
    }
    return footer.append('\n').toString();
  }

  /** The HTML footer, with the same content as {@link #textFooter}; every value escaped. */
  static String htmlFooter(URI unsubscribeUrl, String postalAddress) {
    String url = Template.escapeHtml(unsubscribeUrl.toString());
    StringBuilder footer =
        new StringBuilder("<p style=\"font-size:12px;color:#777\">To stop receiving these emails, ")
            .append("<a href=\"")
            .append(url)
            .append("\">unsubscribe</a>.");
    if (postalAddress != null) {
      footer
          .append("<br>\n")
          .append(
              Template.escapeHtml(postalAddress.strip())
                  .replace("\r\n", "\n")
                  .replace("\n", "<br>\n"));
    }
    return footer.append("</p>\n").toString();
  }

  /**
   * The HTML alternative of a plain-text body. The whole rendered text is escaped (not just the
   * values), because the body is authored as plain text and is sent as such too: a "<" the author
   * typed must show as "<" in both parts, and no lead value can become markup.
   */
  static String html(String text) {
    return html(text, "");
  }

  /** {@link #html(String)} with a footer of ready-made (escaped) HTML after the body. */
  static String html(String text, String footerHtml) {
    String escaped = Template.escapeHtml(text).replace("\r\n", "\n").replace("\n", "<br>\n");
    return "<!DOCTYPE html>\n<html><body>" + escaped + footerHtml + "</body></html>\n";
  }

  private record Rendered(String subject, String text, String html) {

    @Override
    public String toString() {
      return "Rendered[personal data omitted]";
    }
  }
}
