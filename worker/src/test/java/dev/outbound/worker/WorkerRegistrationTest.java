package dev.outbound.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.workflows.CampaignWorkflowImpl;
import dev.outbound.workflows.InboxWatcherWorkflowImpl;
import dev.outbound.workflows.LeadSequenceWorkflowImpl;
import dev.outbound.workflows.TaskQueues;
import io.temporal.spring.boot.autoconfigure.template.WorkersTemplate;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the worker registers, on which task queue, and with which limits (cf. RegisteredInfoTest).
 */
@SpringBootTest(
    classes = WorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "outbound.worker.activity-concurrency=7",
      "outbound.worker.pool-headroom=3",
      "outbound.worker.sticky-execution=false",
      "outbound.crm.credentials-key=worker-test-key",
      "outbound.unsubscribe.secret=worker-test-unsubscribe-secret-of-32-bytes-or-more"
    })
@Tag("slow")
class WorkerRegistrationTest {

  private static TestServer.PortBoundTestServer temporal;

  @DynamicPropertySource
  static void externalParts(DynamicPropertyRegistry registry) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    temporal = TestServer.createPortBoundServer(port, true);
    registry.add("spring.temporal.connection.target", () -> "localhost:" + port);
    TestDatabase.register(registry);
  }

  @AfterAll
  static void stopTemporal() {
    temporal.close();
  }

  @Autowired WorkersTemplate workers;
  @Autowired DataSource dataSource;

  @Test
  void registersAllWorkflowsAndActivitiesOnTheOutboundQueue() {
    WorkersTemplate.RegisteredInfo info = workers.getRegisteredInfo().get(TaskQueues.OUTBOUND);

    assertThat(info).as("a worker on task queue " + TaskQueues.OUTBOUND).isNotNull();
    assertThat(info.isWorkflowRegistered(LeadSequenceWorkflowImpl.class)).isTrue();
    assertThat(info.isWorkflowRegistered(CampaignWorkflowImpl.class)).isTrue();
    assertThat(info.isActivityRegistered("sendActivities")).isTrue();
    assertThat(info.isActivityRegistered("leadActivities")).isTrue();
    assertThat(info.isActivityRegistered("campaignActivities")).isTrue();
    assertThat(info.isWorkflowRegistered(InboxWatcherWorkflowImpl.class)).isTrue();
    assertThat(info.isActivityRegistered("inboxActivities")).isTrue();
  }

  @Test
  void sizesTheDatabasePoolFromTheActivityConcurrency() {
    Worker worker = workers.getWorkerFactory().getWorker(TaskQueues.OUTBOUND);

    assertThat(worker.getWorkerOptions().getMaxConcurrentActivityExecutionSize()).isEqualTo(7);
    assertThat(dataSource).isInstanceOf(HikariDataSource.class);
    assertThat(((HikariDataSource) dataSource).getMaximumPoolSize()).isEqualTo(7 + 3);
  }

  @Test
  void turnsStickyExecutionOffWhenAskedForTheTestServer() {
    Worker worker = workers.getWorkerFactory().getWorker(TaskQueues.OUTBOUND);

    assertThat(worker.getWorkerOptions().getStickyQueueScheduleToStartTimeout())
        .isEqualTo(Duration.ZERO);
  }
}
