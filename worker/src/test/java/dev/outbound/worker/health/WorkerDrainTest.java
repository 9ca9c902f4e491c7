package dev.outbound.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.worker.health.TemporalWorkerFixture.SlowWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;

@Tag("slow")
class WorkerDrainTest {

  private final TemporalWorkerFixture temporal = new TemporalWorkerFixture();
  private final WorkerDrain drain = new WorkerDrain(temporal.factory, Duration.ofMinutes(5));

  @AfterEach
  void stop() {
    temporal.close();
  }

  @Test
  void stopsPollingAndLetsTheActivityInHandFinishBeforeReportingStopped() throws Exception {
    drain.start();
    temporal.factory.start();
    SlowWorkflow workflow =
        temporal.client.newWorkflowStub(
            SlowWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TemporalWorkerFixture.QUEUE)
                .setWorkflowId("drain-test")
                .build());
    WorkflowClient.start(workflow::run);
    temporal.started.await();

    CountDownLatch stopped = new CountDownLatch(1);
    drain.stop(stopped::countDown);

    // The activity is still blocked, so the drain cannot have finished.
    assertThat(stopped.getCount()).isEqualTo(1);
    assertThat(drain.isRunning()).isFalse();

    temporal.release.countDown();
    stopped.await();

    assertThat(temporal.factory.isTerminated()).isTrue();
    // The activity's result reached Temporal although the worker had begun shutting down (the
    // workflow itself finishes on another worker: this one no longer polls).
    assertThat(temporal.client.fetchHistory("drain-test").getHistory().getEventsList())
        .extracting(HistoryEvent::getEventType)
        .contains(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
  }

  @Test
  void hasNothingToWaitForWhenTheWorkersNeverStarted() throws Exception {
    drain.start();
    CountDownLatch stopped = new CountDownLatch(1);

    drain.stop(stopped::countDown);
    stopped.await();

    assertThat(temporal.factory.isShutdown()).isFalse();
  }

  @Test
  void stopsBeforeTheWebServerSoTheProbesAnswerDuringTheDrain() {
    assertThat(drain.getPhase())
        .isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
  }
}
