package dev.outbound.activities;

import dev.outbound.crm.unsubscribe.UnsubscribeConfiguration;
import dev.outbound.workflows.OutboundSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The activities with the CRM stores on a test database, and a {@link WorkflowClient} of an
 * in-memory Temporal test server (no worker polls it: started workflows stay open, which is what
 * the campaign tests look at).
 */
@SpringBootApplication
@Import({ActivitiesConfiguration.class, UnsubscribeConfiguration.class})
public class ActivitiesTestApp {

  @Bean(destroyMethod = "close")
  TestWorkflowEnvironment testWorkflowEnvironment() {
    return registerSearchAttributes(TestWorkflowEnvironment.newInstance());
  }

  /**
   * Lead workflows start with the project's search attributes and upsert them, so a test server
   * needs them registered, as the launcher does on its server.
   */
  public static TestWorkflowEnvironment registerSearchAttributes(
      TestWorkflowEnvironment environment) {
    for (SearchAttributeKey<?> key : OutboundSearchAttributes.ALL) {
      environment.registerSearchAttribute(key.getName(), key.getValueType());
    }
    return environment;
  }

  @Bean
  WorkflowClient workflowClient(TestWorkflowEnvironment environment) {
    return environment.getWorkflowClient();
  }
}
