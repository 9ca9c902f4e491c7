package dev.outbound.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A SIGTERM (context close) lets the activity in progress finish before the worker stops. */
class WorkerDrainTest {

  @WorkflowInterface
  public interface OneSlowStep {
    @WorkflowMethod
    String run();
  }

  @ActivityInterface
  public interface SlowActivity {
    String work();
  }

  public static class OneSlowStepImpl implements OneSlowStep {
    private final SlowActivity activity =
        Workflow.newActivityStub(
            SlowActivity.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());

    @Override
    public String run() {
      return activity.work();
    }
  }

  static final class Slow implements SlowActivity {
    final CountDownLatch started = new CountDownLatch(1);
    final AtomicBoolean finished = new AtomicBoolean();

    @Override
    public String work() {
      started.countDown();
      try {
        Thread.sleep(1_500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted: the drain cut the activity off", e);
      }
      finished.set(true);
      return "done";
    }
  }

  @Test
  @Timeout(120)
  void stoppingWaitsForTheRunningActivityWhichCompletesNormally() throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      WorkflowClient client = env.getWorkflowClient();
      WorkerFactory factory = WorkerFactory.newInstance(client);
      // Sticky queues never time out on the test server (DESIGN.md 5a): off, so that the second
      // worker below gets the workflow's last task.
      WorkerOptions noSticky =
          WorkerOptions.newBuilder().setStickyQueueScheduleToStartTimeout(Duration.ZERO).build();
      Worker worker = factory.newWorker("drain", noSticky);
      worker.registerWorkflowImplementationTypes(OneSlowStepImpl.class);
      Slow slow = new Slow();
      worker.registerActivitiesImplementations(slow);
      factory.start();
      WorkerDrain drain = new WorkerDrain(factory, Duration.ofSeconds(30));
      drain.start();

      OneSlowStep workflow =
          client.newWorkflowStub(
              OneSlowStep.class, WorkflowOptions.newBuilder().setTaskQueue("drain").build());
      WorkflowClient.start(workflow::run);
      assertThat(slow.started.await(30, TimeUnit.SECONDS)).isTrue();

      drain.stop();

      assertThat(slow.finished).as("the activity finished before the drain returned").isTrue();
      assertThat(factory.isTerminated()).isTrue();
      assertThat(drain.isRunning()).isFalse();
      // Its result reached Temporal: a new worker only has the workflow's last task left to do.
      WorkerFactory next = WorkerFactory.newInstance(client);
      Worker again = next.newWorker("drain", noSticky);
      again.registerWorkflowImplementationTypes(OneSlowStepImpl.class);
      Slow unused = new Slow();
      again.registerActivitiesImplementations(unused);
      next.start();
      assertThat(WorkflowStub.fromTyped(workflow).getResult(String.class)).isEqualTo("done");
      assertThat(unused.started.getCount()).as("the activity was not run a second time").isOne();
      next.shutdownNow();
    }
  }
}
