package dev.outbound.worker.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.worker.WorkerApplication;
import dev.outbound.worker.observability.CapturingTransport;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker as deployed, on its own HTTP port, against a real Temporal service (the Java test
 * server over gRPC) and PostgreSQL: the probe and metrics endpoints the Kubernetes manifests use,
 * and error reports through the Temporal starter's worker.
 */
@SpringBootTest(
    classes = WorkerApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "outbound.crm.credentials-key=worker-test-key",
      "outbound.unsubscribe.secret=worker-test-unsubscribe-secret-of-32-bytes-or-more",
      "outbound.worker.sticky-execution=false",
      "sentry.dsn=https://public@sentry.invalid/1",
      // A refused connection fails the db check after 1 s instead of Hikari's default 30 s.
      "spring.datasource.hikari.connection-timeout=1000"
    })
@Import(WorkerEndpointsTest.CapturingSentry.class)
@Tag("slow")
class WorkerEndpointsTest {

  @TestConfiguration(proxyBeanMethods = false)
  static class CapturingSentry {
    /** The Sentry starter sends through an ITransportFactory bean when there is one. */
    @Bean
    CapturingTransport capturingTransport() {
      return new CapturingTransport();
    }
  }

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

  @LocalServerPort int port;
  @Autowired HealthEndpointGroups groups;
  @Autowired DataSource dataSource;
  @Autowired WorkflowClient workflowClient;
  @Autowired CapturingTransport sentry;
  @Autowired WorkerDrain drain;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersLivenessAndReadinessWhenTemporalPostgresAndPollingAreFine() throws Exception {
    HttpResponse<String> liveness = get("/actuator/health/liveness");
    HttpResponse<String> readiness = get("/actuator/health/readiness");

    assertThat(liveness.statusCode()).isEqualTo(200);
    assertThat(liveness.body()).contains("\"status\":\"UP\"");
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body())
        .contains("\"status\":\"UP\"")
        .contains("\"db\"")
        .contains("\"temporalWorkers\"")
        .contains("\"readinessState\"");
  }

  @Test
  void readinessChecksPostgresAndTheWorkersWhileLivenessChecksNeither() {
    assertThat(groups.get("readiness").isMember("db")).isTrue();
    assertThat(groups.get("readiness").isMember("temporalWorkers")).isTrue();
    assertThat(groups.get("readiness").isMember("readinessState")).isTrue();
    assertThat(groups.get("liveness").isMember("db")).isFalse();
    assertThat(groups.get("liveness").isMember("temporalWorkers")).isFalse();
  }

  @Test
  void isNotReadyWhilePostgresRefusesConnectionsButStaysLive() throws Exception {
    String database = databaseName();
    try {
      refuseConnections(database, true);

      HttpResponse<String> readiness = get("/actuator/health/readiness");
      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(readiness.body()).contains("\"status\":\"DOWN\"");
      assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    } finally {
      refuseConnections(database, false);
    }
    assertThat(readyAgain()).as("ready once PostgreSQL accepts connections again").isTrue();
  }

  @Test
  void servesTheProductCountersAndTheTemporalSdkMetricsToPrometheus() throws Exception {
    HttpResponse<String> scrape = get("/actuator/prometheus");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("outbound_replies_total{application=\"outbound-worker\"} 0.0")
        .contains(
            "outbound_sends_deferred_total{application=\"outbound-worker\",reason=\"DAILY_CAP\"}");
    // The SDK reports through Micrometer every 10 seconds (the starter's reporting interval).
    assertThat(scrapeUntilItShows("temporal_")).contains("temporal_");
  }

  @Test
  void reportsAFailingActivityAndItsWorkflowThroughTheStartersWorker() {
    LeadRef missing = new LeadRef(9, 99, 999);
    LeadSequenceWorkflow workflow =
        workflowClient.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.OUTBOUND)
                .setWorkflowId(missing.workflowId())
                .build());

    assertThatThrownBy(() -> workflow.run(missing, null))
        .isInstanceOf(WorkflowFailedException.class);

    var activityReports = sentry.eventsTagged("workflow.id", "campaign-99-lead-999");
    assertThat(activityReports)
        .anySatisfy(
            report -> {
              assertThat(report.tag("activity.type")).isEqualTo("Begin");
              assertThat(report.tag("client.id")).isEqualTo("9");
              assertThat(report.tag("campaign.id")).isEqualTo("99");
              assertThat(report.tag("lead.id")).isEqualTo("999");
            })
        .anySatisfy(
            report -> {
              assertThat(report.tag("failure.kind")).isEqualTo("workflow");
              assertThat(report.tag("workflow.type")).isEqualTo("LeadSequenceWorkflow");
            })
        .hasSize(2);
  }

  @Test
  void drainsTheWorkersBeforeTheWebServerStops() {
    assertThat(drain.isRunning()).isTrue();
  }

  private String databaseName() {
    String url = ((HikariDataSource) dataSource).getJdbcUrl();
    return url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
  }

  /** Makes PostgreSQL refuse (or accept again) connections to the app's database. */
  private static void refuseConnections(String database, boolean refuse) throws SQLException {
    try (Connection admin = TestDatabase.server().getPostgresDatabase().getConnection();
        Statement s = admin.createStatement()) {
      s.execute("alter database " + database + " with allow_connections " + !refuse);
      if (refuse) {
        s.execute(
            "select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                + database
                + "'");
      }
    }
  }

  /** Asks the readiness probe again until it is UP, for at most about a minute. */
  private boolean readyAgain() throws Exception {
    for (int i = 0; i < 60; i++) {
      if (get("/actuator/health/readiness").statusCode() == 200) {
        return true;
      }
      Thread.sleep(1000);
    }
    return false;
  }

  private String scrapeUntilItShows(String text) throws Exception {
    String body = "";
    for (int i = 0; i < 60 && !body.contains(text); i++) {
      body = get("/actuator/prometheus").body();
      if (!body.contains(text)) {
        Thread.sleep(1000);
      }
    }
    return body;
  }
}
