package dev.outbound.api.health;

import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Up when the Temporal frontend answers {@code GetSystemInfo} (the cheap call the SDK itself makes
 * when it connects) within {@link #TIMEOUT}: the API cannot start, pause or stop campaigns without
 * it. Its contributor name is {@code temporal}.
 */
public class TemporalHealthIndicator implements HealthIndicator {

  /** Well below a probe's usual timeout, so a hung frontend reads as down rather than as slow. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final WorkflowClient client;

  public TemporalHealthIndicator(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public Health health() {
    try {
      client
          .getWorkflowServiceStubs()
          .blockingStub()
          .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return Health.up().withDetail("namespace", client.getOptions().getNamespace()).build();
    } catch (StatusRuntimeException e) {
      return Health.down()
          .withDetail("temporal", "unreachable: " + e.getStatus().getCode())
          .build();
    }
  }
}
