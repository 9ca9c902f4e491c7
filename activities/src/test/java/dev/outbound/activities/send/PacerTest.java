package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.crm.LimitProperties;
import dev.outbound.crm.sequence.SendContext;
import org.junit.jupiter.api.Test;

/**
 * The client's cap as the pacer takes it from the send context (the reservations and deferrals are
 * covered against the database by DeliverabilityTest and SendActivitiesTest).
 */
class PacerTest {

  private static final LimitProperties LIMITS = new LimitProperties(100, 500);

  @Test
  void aClientsOwnCapWinsOverTheConfiguredDefault() {
    assertThat(Pacer.clientCap(new SendContext.Client(null, 3), LIMITS)).isEqualTo(3);
    assertThat(Pacer.clientCap(new SendContext.Client("1 Way", null), LIMITS)).isEqualTo(500);
  }
}
