package dev.outbound.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class OutboundMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OutboundMetrics metrics = new OutboundMetrics(registry);

  @Test
  void countsSentAndAmbiguousEmailsPerMailbox() {
    metrics.emailSent(7);
    metrics.emailSent(7);
    metrics.emailSent(8);
    metrics.ambiguousSend(8);

    assertThat(count(OutboundMetrics.EMAILS_SENT, "mailbox", "7")).isEqualTo(2);
    assertThat(count(OutboundMetrics.EMAILS_SENT, "mailbox", "8")).isEqualTo(1);
    assertThat(count(OutboundMetrics.SENDS_AMBIGUOUS, "mailbox", "8")).isEqualTo(1);
  }

  @Test
  void countsFailuresPerMailboxAndReasonCode() {
    metrics.emailFailed(3, "SMTP_PERMANENT");
    metrics.emailFailed(3, "INVALID_ADDRESS");
    metrics.emailFailed(3, "SMTP_PERMANENT");

    assertThat(
            registry
                .get(OutboundMetrics.EMAILS_FAILED)
                .tags("mailbox", "3", "reason", "SMTP_PERMANENT")
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void neverTurnsFreeTextIntoATagValue() {
    metrics.emailFailed(3, "550 5.1.1 <ada@example.com> unknown");

    assertThat(registry.get(OutboundMetrics.EMAILS_FAILED).tag("reason", "OTHER").counter().count())
        .isEqualTo(1);
    assertThat(registry.getMeters())
        .allSatisfy(
            meter ->
                assertThat(meter.getId().getTags())
                    .allSatisfy(tag -> assertThat(tag.getValue()).doesNotContain("@")));
  }

  @Test
  void showsStopCountersAndEveryDeferralReasonAtZeroBeforeAnythingHappens() {
    assertThat(registry.get(OutboundMetrics.REPLIES).counter().count()).isZero();
    assertThat(registry.get(OutboundMetrics.BOUNCES).counter().count()).isZero();
    assertThat(registry.get(OutboundMetrics.UNSUBSCRIBES).counter().count()).isZero();
    for (DeferralReason reason : DeferralReason.values()) {
      assertThat(count(OutboundMetrics.SENDS_DEFERRED, "reason", reason.name())).isZero();
    }
  }

  @Test
  void countsStopsAndDeferrals() {
    metrics.reply();
    metrics.bounce();
    metrics.bounce();
    metrics.unsubscribe();
    metrics.deferred(DeferralReason.DAILY_CAP);

    assertThat(registry.get(OutboundMetrics.REPLIES).counter().count()).isEqualTo(1);
    assertThat(registry.get(OutboundMetrics.BOUNCES).counter().count()).isEqualTo(2);
    assertThat(registry.get(OutboundMetrics.UNSUBSCRIBES).counter().count()).isEqualTo(1);
    assertThat(count(OutboundMetrics.SENDS_DEFERRED, "reason", "DAILY_CAP")).isEqualTo(1);
  }

  @Test
  void rejectsAMailboxIdThatIsNotAnInternalId() {
    assertThatThrownBy(() -> metrics.emailSent(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private double count(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).counter().count();
  }
}
