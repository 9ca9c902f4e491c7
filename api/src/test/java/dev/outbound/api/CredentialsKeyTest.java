package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.outbound.crm.testing.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The API has no default credentials key: a deployment that does not set {@code
 * OUTBOUND_CREDENTIALS_KEY} must not start (and encrypt mailbox passwords with a published key),
 * and must say why.
 */
@ExtendWith(OutputCaptureExtension.class)
@Tag("slow")
class CredentialsKeyTest {

  @Test
  void refusesToStartWithoutACredentialsKeyAndNamesTheSetting(CapturedOutput output) {
    String url = TestDatabase.newDatabase();

    Throwable failure =
        catchThrowable(
            () -> {
              try (ConfigurableApplicationContext context =
                  new SpringApplicationBuilder(ApiApplication.class)
                      // Arguments, as application.yaml's environment placeholders would win over
                      // default properties.
                      .run(
                          "--server.port=0",
                          "--spring.datasource.url=" + url,
                          "--spring.datasource.username=postgres",
                          "--spring.datasource.password=postgres",
                          "--spring.temporal.connection.target=127.0.0.1:1",
                          // What application.yaml resolves to when the variable is not set.
                          "--OUTBOUND_CREDENTIALS_KEY=",
                          "--OUTBOUND_UNSUBSCRIBE_SECRET=" + ApiTestSupport.UNSUBSCRIBE_SECRET)) {
                assertThat(context).as("the API started without a credentials key").isNull();
              }
            });

    assertThat(failure).isNotNull();
    assertThat(messages(failure))
        .contains("outbound.crm")
        .contains("credentialsKey")
        .contains("OUTBOUND_CREDENTIALS_KEY");
    // What an operator reads in the log: Spring Boot's failure analysis.
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("outbound.crm.credentials-key")
        .contains("OUTBOUND_CREDENTIALS_KEY");
  }

  @Test
  void refusesToStartWithoutAnUnsubscribeSecretAndNamesTheSetting(CapturedOutput output) {
    String url = TestDatabase.newDatabase();
    Throwable failure =
        catchThrowable(
            () -> {
              try (ConfigurableApplicationContext context =
                  new SpringApplicationBuilder(ApiApplication.class)
                      .run(
                          "--server.port=0",
                          "--spring.datasource.url=" + url,
                          "--spring.datasource.username=postgres",
                          "--spring.datasource.password=postgres",
                          "--spring.temporal.connection.target=127.0.0.1:1",
                          "--OUTBOUND_CREDENTIALS_KEY=api-test-credentials-key",
                          // What application.yaml resolves to when the variable is not set.
                          "--OUTBOUND_UNSUBSCRIBE_SECRET=")) {
                assertThat(context).as("the API started without an unsubscribe secret").isNull();
              }
            });

    assertThat(failure).isNotNull();
    assertThat(messages(failure)).contains("outbound.unsubscribe");
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("OUTBOUND_UNSUBSCRIBE_SECRET");
  }

  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
  }
}
