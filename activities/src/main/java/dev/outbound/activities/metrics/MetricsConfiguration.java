package dev.outbound.activities.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

  /**
   * Counts into the application's registry (Prometheus in the worker and the launcher). Contexts
   * without one (the activities' own tests) get a private in-memory registry, so an activity that
   * counts never needs a metrics backend to run.
   */
  @Bean
  OutboundMetrics outboundMetrics(ObjectProvider<MeterRegistry> registry) {
    return new OutboundMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
  }
}
