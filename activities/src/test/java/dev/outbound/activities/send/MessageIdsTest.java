package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

  @Test
  void buildsTheIdFromInternalIdsAndTheMailboxDomainOnly() {
    assertThat(MessageIds.of(12, 345, 2, "Sales@Acme.Example"))
        .isEqualTo("<outbound.c12.l345.s2@acme.example>");
  }

  @Test
  void givesEveryAttemptAtAStepTheSameId() {
    assertThat(MessageIds.of(1, 2, 3, "a@x.test")).isEqualTo(MessageIds.of(1, 2, 3, "a@x.test"));
    assertThat(MessageIds.of(1, 2, 3, "a@x.test")).isNotEqualTo(MessageIds.of(1, 2, 4, "a@x.test"));
  }

  @Test
  void refusesAMailboxAddressWithoutAUsableDomain() {
    assertThatThrownBy(() -> MessageIds.of(1, 2, 3, "no-domain"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageIds.of(1, 2, 3, "a@x.test>\r\nBcc: b@y.test"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
