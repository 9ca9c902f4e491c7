package dev.outbound.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** Against a real Temporal service: the Java test server on a free port, reached over gRPC. */
@Tag("slow")
class TemporalHealthIndicatorTest {

  private TestServer.PortBoundTestServer server;
  private WorkflowServiceStubs stubs;
  private TemporalHealthIndicator indicator;

  @BeforeEach
  void connect() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    server = TestServer.createPortBoundServer(port, false);
    stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("localhost:" + port).build());
    indicator = new TemporalHealthIndicator(WorkflowClient.newInstance(stubs));
  }

  @AfterEach
  void disconnect() {
    stubs.shutdownNow();
    server.close();
  }

  @Test
  void isUpWhenTheFrontendAnswers() {
    assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
  }

  @Test
  void isDownWhenTheServiceIsGone() {
    server.close();

    Health health = indicator.health();

    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
    assertThat(health.getDetails()).containsEntry("temporal", "unreachable: UNAVAILABLE");
  }

  @Test
  void isDownWhenTheConnectionIsClosed() {
    stubs.shutdownNow();

    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
  }
}
