package dev.outbound.worker.observability;

import dev.outbound.vocabulary.privacy.PersonalDataScrubber;
import io.sentry.IScopes;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Error reporting, only when a Sentry DSN is set: without one neither the interceptor nor the
 * scrubber exist, so the workers run exactly as without Sentry.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${sentry.dsn:}'.isBlank()")
@EnableConfigurationProperties(ErrorReportingProperties.class)
class WorkerObservabilityConfiguration {

  /** Picked up by the Temporal starter, which adds every WorkerInterceptor bean to its workers. */
  @Bean
  SentryWorkerInterceptor sentryWorkerInterceptor(
      IScopes sentry, ErrorReportingProperties properties) {
    return new SentryWorkerInterceptor(new TemporalErrorReporter(sentry, properties.expected()));
  }

  /** Picked up by the Sentry starter, which adds every EventProcessor bean to its options. */
  @Bean
  PersonalDataScrubber workerPersonalDataScrubber() {
    return new PersonalDataScrubber();
  }
}
