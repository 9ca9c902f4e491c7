package dev.outbound.api.observability;

import dev.outbound.vocabulary.privacy.PersonalDataScrubber;
import io.sentry.IScopes;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Error reporting, only when a Sentry DSN is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${sentry.dsn:}'.isBlank()")
class ApiObservabilityConfiguration {

  /**
   * Inside Sentry's request filter (which runs first, at the highest precedence) and around
   * everything else, so it sees the final status of every request.
   */
  @Bean
  FilterRegistrationBean<ServerErrorReporter> serverErrorReporter(IScopes sentry) {
    FilterRegistrationBean<ServerErrorReporter> registration =
        new FilterRegistrationBean<>(new ServerErrorReporter(sentry));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  PersonalDataScrubber apiPersonalDataScrubber() {
    return new PersonalDataScrubber();
  }
}
