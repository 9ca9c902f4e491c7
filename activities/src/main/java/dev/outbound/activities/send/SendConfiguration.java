package dev.outbound.activities.send;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What the parts of the send script share besides the stores. */
@Configuration(proxyBeanMethods = false)
class SendConfiguration {

  /**
   * The time the send window, the reservations, the client's day and the next step's due time are
   * evaluated at: one clock for every part of a send, so that a test moves them all together (its
   * builder passes its own).
   */
  @Bean
  Clock sendClock() {
    return Clock.systemUTC();
  }
}
