package dev.outbound.worker.health;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.spring.boot.autoconfigure.template.WorkersTemplate;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WorkerHealthConfiguration {

  /** Named so that its contributor is {@code temporalWorkers} in the readiness group. */
  @Bean
  TemporalWorkersHealthIndicator temporalWorkersHealthIndicator(
      WorkflowServiceStubs stubs, WorkerFactory factory, WorkersTemplate workers) {
    return new TemporalWorkersHealthIndicator(stubs, factory, workers::getWorkers);
  }

  @Bean
  WorkerDrain workerDrain(
      WorkerFactory factory,
      @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration timeout) {
    return new WorkerDrain(factory, timeout);
  }
}
