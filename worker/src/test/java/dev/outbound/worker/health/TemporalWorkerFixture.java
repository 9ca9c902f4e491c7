package dev.outbound.worker.health;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A real Temporal service (the Java test server on a free port, reached over gRPC like a remote
 * cluster) with one worker whose activity runs until the test releases it.
 */
final class TemporalWorkerFixture implements AutoCloseable {

  static final String QUEUE = "health-test";

  @ActivityInterface
  public interface SlowActivities {
    @ActivityMethod
    String work();
  }

  @WorkflowInterface
  public interface SlowWorkflow {
    @WorkflowMethod
    String run();
  }

  public static class SlowWorkflowImpl implements SlowWorkflow {
    @Override
    public String run() {
      return Workflow.newActivityStub(
              SlowActivities.class,
              ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(5)).build())
          .work();
    }
  }

  /** Counts down when the activity starts; the activity returns once {@link #release} is down. */
  final CountDownLatch started = new CountDownLatch(1);

  final CountDownLatch release = new CountDownLatch(1);
  final TestServer.PortBoundTestServer server;
  final WorkflowServiceStubs stubs;
  final WorkflowClient client;
  final WorkerFactory factory;
  final Worker worker;

  TemporalWorkerFixture() {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = TestServer.createPortBoundServer(port, false);
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("localhost:" + port).build());
    client = WorkflowClient.newInstance(stubs);
    factory = WorkerFactory.newInstance(client);
    worker = factory.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(SlowWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        (SlowActivities)
            () -> {
              started.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
              }
              return "done";
            });
  }

  @Override
  public void close() {
    release.countDown();
    factory.shutdownNow();
    stubs.shutdownNow();
    server.close();
  }
}
