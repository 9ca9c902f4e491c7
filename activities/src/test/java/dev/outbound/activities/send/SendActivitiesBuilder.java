package dev.outbound.activities.send;

import dev.outbound.activities.alerts.AlertProperties;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.activities.alerts.OperatorAlerts;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.LimitProperties;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.limits.ClientSendCap;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.SendContextStore;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.vocabulary.network.HostPolicy;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.springframework.context.ApplicationContext;

/**
 * Builds the send activity the way Spring does, from a test's application context, with what a test
 * replaces: its clock, its send-context store, its host policy. Unlike the application's activity
 * it counts into its own metrics and sends no operator alerts, so that a test that drives it leaves
 * the shared context's counters alone.
 */
public final class SendActivitiesBuilder {

  private final ApplicationContext spring;
  private Clock clock = Clock.systemUTC();
  private SendContextStore contexts;
  private HostPolicy hostPolicy;

  public SendActivitiesBuilder(ApplicationContext spring) {
    this.spring = spring;
  }

  /** The time the activity reads (the send window, the caps, the next step's due time). */
  public SendActivitiesBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** The store the activity loads each step's context from, e.g. one that injects a race. */
  public SendActivitiesBuilder contexts(SendContextStore contexts) {
    this.contexts = contexts;
    return this;
  }

  /** The check of the SMTP host right before connecting, e.g. one with a fake resolver. */
  public SendActivitiesBuilder hostPolicy(HostPolicy hostPolicy) {
    this.hostPolicy = hostPolicy;
    return this;
  }

  public SendActivitiesImpl build() {
    SendContextStore contexts =
        this.contexts != null ? this.contexts : spring.getBean(SendContextStore.class);
    SendLedgerStore ledger = spring.getBean(SendLedgerStore.class);
    EnrolmentStore enrolments = spring.getBean(EnrolmentStore.class);
    TimelineStore timeline = spring.getBean(TimelineStore.class);
    MailboxCapacityStore capacity = spring.getBean(MailboxCapacityStore.class);
    UnsubscribeTokens tokens = spring.getBean(UnsubscribeTokens.class);
    MailboxPauses pauses = spring.getBean(MailboxPauses.class);
    OutboundMetrics metrics = new OutboundMetrics(new SimpleMeterRegistry());
    FaultInjection faults = FaultInjection.OFF;

    Waits waits = new Waits(enrolments, metrics);
    Failures failures =
        new Failures(
            ledger,
            capacity,
            timeline,
            pauses,
            metrics,
            new OperatorAlerts(AlertProperties.off()),
            waits);
    return new SendActivitiesImpl(
        contexts,
        new StatusCheck(capacity),
        new Claims(ledger, enrolments, capacity, failures, faults),
        new StepRenderer(tokens, metrics),
        new SenderCheck(
            new MailboxAssignment(contexts, capacity, waits, clock),
            spring.getBean(CredentialCipher.class),
            hostPolicy != null ? hostPolicy : spring.getBean(HostPolicy.class),
            pauses,
            tokens,
            waits),
        new Pacer(
            spring.getBean(ClientSendCap.class),
            spring.getBean(LimitProperties.class),
            capacity,
            metrics,
            failures,
            waits,
            clock),
        new SuppressionCheck(spring.getBean(SuppressionStore.class), enrolments, capacity),
        new Delivery(spring.getBean(SmtpMailer.class), ledger, failures, faults),
        new SentRecorder(ledger, enrolments, timeline, capacity, metrics, faults, clock));
  }
}
