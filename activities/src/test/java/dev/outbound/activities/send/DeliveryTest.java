package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.AddressException;
import org.junit.jupiter.api.Test;

/** The one address a step goes to: a plain mailbox, nothing that could add a header or a group. */
class DeliveryTest {

  @Test
  void takesOnePlainAddress() throws Exception {
    assertThat(Delivery.recipient("ada@example.test").getAddress()).isEqualTo("ada@example.test");
  }

  @Test
  void refusesWhatCouldInjectHeadersOrReachMoreThanTheLead() {
    for (String address :
        new String[] {
          null,
          "ada@example.test\r\nBcc: spy@evil.test",
          "ada@example.test\nBcc: spy@evil.test",
          "Ada <ada@example.test>",
          "friends: ada@example.test, bob@example.test;",
          "ada@example.test, bob@example.test"
        }) {
      assertThatThrownBy(() -> Delivery.recipient(address))
          .as(String.valueOf(address))
          .isInstanceOf(AddressException.class);
    }
  }
}
