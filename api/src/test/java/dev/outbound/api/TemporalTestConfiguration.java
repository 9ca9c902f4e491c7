package dev.outbound.api;

import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A real in-process Temporal service for API tests. No worker polls it: the tests read what the API
 * started and signalled from the workflow histories, which is exactly the API's contract.
 *
 * <p>The Temporal starter's auto-configuration does not back off when a {@code WorkflowClient} bean
 * is defined (it registers its own client unconditionally), so {@link ApiTestSupport} excludes it.
 */
@TestConfiguration(proxyBeanMethods = false)
class TemporalTestConfiguration {

  @Bean(destroyMethod = "close")
  TestWorkflowEnvironment testWorkflowEnvironment() {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
  }

  @Bean
  WorkflowClient workflowClient(TestWorkflowEnvironment environment) {
    return environment.getWorkflowClient();
  }
}
