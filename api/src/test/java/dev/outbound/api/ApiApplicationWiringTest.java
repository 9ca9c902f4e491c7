package dev.outbound.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.api.web.ApiProperties;
import dev.outbound.crm.testing.TestDatabase;
import io.temporal.client.WorkflowClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application as it runs in production: the Temporal starter builds the {@code WorkflowClient}
 * from {@code application.yaml}. Nothing listens on the target; the client connects lazily, so the
 * API starts without Temporal and answers 503 on control calls until it is reachable.
 */
@SpringBootTest(
    classes = ApiApplication.class,
    properties = {
      "spring.temporal.connection.target=127.0.0.1:1",
      "spring.temporal.namespace=ns1",
      // application.yaml has no default key (OUTBOUND_CREDENTIALS_KEY); CredentialsKeyTest.
      "outbound.crm.credentials-key=api-wiring-test-key",
      "outbound.unsubscribe.secret=api-wiring-test-unsubscribe-secret-32-bytes"
    })
@Tag("slow")
class ApiApplicationWiringTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired ApplicationContext context;

  @Test
  void startsWithTheStartersWorkflowClientAndTheDefaultSettings() {
    WorkflowClient client = context.getBean(WorkflowClient.class);

    assertThat(client.getOptions().getNamespace()).isEqualTo("ns1");
    assertThat(context.getBean(WorkflowSignals.class)).isNotNull();
    ApiProperties properties = context.getBean(ApiProperties.class);
    assertThat(properties.maxLeadsPerRequest()).isEqualTo(10_000);
    assertThat(properties.maxPageSize()).isEqualTo(500);
  }
}
