package dev.outbound.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

@Tag("slow")
class TemporalWorkersHealthIndicatorTest {

  private final TemporalWorkerFixture temporal = new TemporalWorkerFixture();
  private final TemporalWorkersHealthIndicator indicator =
      new TemporalWorkersHealthIndicator(
          temporal.stubs, temporal.factory, () -> List.of(temporal.worker));

  @AfterEach
  void stop() {
    temporal.close();
  }

  @Test
  void isUpWhenTemporalAnswersAndTheWorkersPoll() {
    temporal.factory.start();

    Health health = indicator.health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails())
        .containsEntry("taskQueues", List.of(TemporalWorkerFixture.QUEUE));
  }

  @Test
  void isDownUntilTheWorkersAreStarted() {
    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
  }

  @Test
  void isDownWhilePollingIsSuspended() {
    temporal.factory.start();
    temporal.factory.suspendPolling();

    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);

    temporal.factory.resumePolling();
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void isDownOnceTheWorkersShutDown() {
    temporal.factory.start();
    temporal.factory.shutdown();

    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
  }

  @Test
  void isDownWhenTheTemporalServiceIsGone() {
    temporal.factory.start();
    temporal.server.close();

    Health health = indicator.health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("temporal", "unreachable: UNAVAILABLE");
  }

  @Test
  void isDownWhenTheServiceStubsAreClosed() {
    temporal.factory.start();
    temporal.stubs.shutdownNow();

    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
  }
}
