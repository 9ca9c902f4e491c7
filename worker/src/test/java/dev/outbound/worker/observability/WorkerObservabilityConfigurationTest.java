package dev.outbound.worker.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import dev.outbound.vocabulary.privacy.PersonalDataScrubber;
import io.sentry.IScopes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class WorkerObservabilityConfigurationTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withUserConfiguration(WorkerObservabilityConfiguration.class)
          .withBean(IScopes.class, () -> mock(IScopes.class));

  @Test
  void addsNoInterceptorWithoutASentryDsn() {
    runner.run(context -> assertThat(context).doesNotHaveBean(SentryWorkerInterceptor.class));
    runner
        .withPropertyValues("sentry.dsn=")
        .run(context -> assertThat(context).doesNotHaveBean(SentryWorkerInterceptor.class));
  }

  @Test
  void addsTheInterceptorAndTheScrubberWithADsn() {
    runner
        .withPropertyValues("sentry.dsn=https://public@sentry.invalid/1")
        .run(
            context -> {
              assertThat(context).hasSingleBean(SentryWorkerInterceptor.class);
              assertThat(context).hasSingleBean(PersonalDataScrubber.class);
              assertThat(context.getBean(ErrorReportingProperties.class).expectedFailureTypes())
                  .containsExactly("SMTP_PERMANENT", "INVALID_ADDRESS");
            });
  }

  @Test
  void scrubsAddressesFromMessages() {
    assertThat(PersonalDataScrubber.scrub("Key (email)=(Ada.O'Neil+x@mail.example.co.uk) exists"))
        .isEqualTo("Key (email)=([email]) exists");
    assertThat(PersonalDataScrubber.scrub("lead 345 of campaign 12"))
        .isEqualTo("lead 345 of campaign 12");
  }
}
