package dev.outbound.activities;

import io.temporal.client.WorkflowClient;
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
@Import(ActivitiesConfiguration.class)
public class ActivitiesTestApp {

  @Bean(destroyMethod = "close")
  TestWorkflowEnvironment testWorkflowEnvironment() {
    return TestWorkflowEnvironment.newInstance();
  }

  @Bean
  WorkflowClient workflowClient(TestWorkflowEnvironment environment) {
    return environment.getWorkflowClient();
  }
}
