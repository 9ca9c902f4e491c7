package dev.outbound.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.outbound.api.ApiApplication;
import dev.outbound.crm.ClientStore;
import dev.outbound.crm.testing.TestDatabase;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API as deployed, on its own HTTP port, with the Temporal starter's client against a real
 * Temporal service (the Java test server over gRPC) and PostgreSQL: probes, metrics, and which
 * errors reach Sentry.
 */
@SpringBootTest(
    classes = ApiApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "outbound.crm.credentials-key=api-endpoints-test-key",
      "outbound.unsubscribe.secret=api-endpoints-test-unsubscribe-secret-32b",
      "sentry.dsn=https://public@sentry.invalid/1",
      // A refused connection fails the db check after 1 s instead of Hikari's default 30 s.
      "spring.datasource.hikari.connection-timeout=1000"
    })
@Import(ApiEndpointsTest.Additions.class)
@Tag("slow")
class ApiEndpointsTest {

  static final String KEY = "endpoints-test-key";

  @TestConfiguration(proxyBeanMethods = false)
  static class Additions {

    /** Keeps what Sentry would send (after its event processors) and sends nothing. */
    @Bean
    SentryOptions.BeforeSendCallback capture(List<SentryEvent> reported) {
      return (event, hint) -> {
        reported.add(event);
        return null;
      };
    }

    @Bean
    List<SentryEvent> reported() {
      return new CopyOnWriteArrayList<>();
    }

    @Bean
    FailingController failingController() {
      return new FailingController();
    }
  }

  /** A route that fails the way a bug would, quoting an address as a driver's message might. */
  @RestController
  static class FailingController {
    @GetMapping("/api/v1/test-failures/{id}")
    String fail(@PathVariable long id) {
      throw new IllegalStateException("duplicate key (email)=(ada@example.com) for lead " + id);
    }
  }

  private static TestServer.PortBoundTestServer temporal;

  @DynamicPropertySource
  static void externalParts(DynamicPropertyRegistry registry) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    temporal = TestServer.createPortBoundServer(port, false);
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
  @Autowired List<SentryEvent> reported;
  @Autowired ClientStore clients;
  @Autowired SentryOptions sentryOptions;

  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void seedClient() {
    clients.ensureApiKey(clients.ensureClient("endpoints", "Endpoints"), KEY, "test");
    reported.clear();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + KEY)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersLivenessAndReadinessWhenPostgresAndTemporalAreReachable() throws Exception {
    HttpResponse<String> liveness = get("/actuator/health/liveness");
    HttpResponse<String> readiness = get("/actuator/health/readiness");

    assertThat(liveness.statusCode()).isEqualTo(200);
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body())
        .contains("\"status\":\"UP\"")
        .contains("\"db\"")
        .contains("\"temporal\"");
  }

  @Test
  void readinessChecksPostgresAndTemporalWhileLivenessChecksNeither() {
    assertThat(groups.get("readiness").isMember("db")).isTrue();
    assertThat(groups.get("readiness").isMember("temporal")).isTrue();
    assertThat(groups.get("liveness").isMember("db")).isFalse();
    assertThat(groups.get("liveness").isMember("temporal")).isFalse();
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
  void servesMetricsToPrometheus() throws Exception {
    HttpResponse<String> scrape = get("/actuator/prometheus");

    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body()).contains("application=\"outbound-api\"");
  }

  @Test
  void reportsAnUnexpectedServerErrorOnceWithItsRouteAndClientButNoAddress() throws Exception {
    HttpResponse<String> answer = get("/api/v1/test-failures/345");

    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.body()).doesNotContain("ada@example.com");
    assertThat(reported).hasSize(1);
    SentryEvent event = reported.get(0);
    assertThat(event.getTag("http.route")).isEqualTo("/api/v1/test-failures/{id}");
    assertThat(event.getTag("client.id")).isNotBlank();
    assertThat(event.getTransaction()).isEqualTo("GET /api/v1/test-failures/{id}");
    StringWriter json = new StringWriter();
    sentryOptions.getSerializer().serialize(event, json);
    assertThat(json.toString())
        .contains("lead 345")
        .contains("[email]")
        .doesNotContain("ada@example.com")
        .doesNotContain(KEY);
  }

  @Test
  void doesNotReportProblemDetailsForTheCallersMistakes() throws Exception {
    assertThat(get("/api/v1/campaigns/999999").statusCode()).isEqualTo(404);
    assertThat(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/api/v1/campaigns"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);

    assertThat(reported).isEmpty();
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
}
