package dev.outbound.api.health;

import io.temporal.client.WorkflowClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApiHealthConfiguration {

  /**
   * Named so that its contributor is {@code temporal}, as listed in the readiness group. It goes
   * through the application's {@code WorkflowClient}, the same connection the API uses.
   */
  @Bean
  TemporalHealthIndicator temporalHealthIndicator(WorkflowClient client) {
    return new TemporalHealthIndicator(client);
  }
}
