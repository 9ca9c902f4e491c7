package dev.outbound.activities.alerts;

import dev.outbound.vocabulary.network.HostPolicy;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AlertProperties.class)
class AlertsConfiguration {

  /** Closed with the context, so an alert waiting for a retry does not hold up the shutdown. */
  @Bean(destroyMethod = "close")
  OperatorAlerts operatorAlerts(AlertProperties properties, HostPolicy hosts) {
    return new OperatorAlerts(properties, hosts);
  }
}
