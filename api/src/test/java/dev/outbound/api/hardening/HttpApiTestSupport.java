package dev.outbound.api.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.jayway.jsonpath.JsonPath;
import dev.outbound.api.ApiApplication;
import dev.outbound.crm.admin.MailboxStore;
import dev.outbound.crm.testing.TestDatabase;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API on a real HTTP port, as a hostile caller meets it: embedded PostgreSQL, an in-process
 * Temporal service, a GreenMail SMTP server on a free port, private hosts <em>not</em> allowed, the
 * admin API on. Each test class seeds two tenants, A and B, through the admin API and the client
 * API (their mailboxes through the store, since the API refuses the loopback SMTP host), each with
 * a mailbox, a campaign with two leads and a suppression.
 *
 * <p>Small limits make the limits testable: 64 KB request bodies and 3 leads per campaign.
 */
@SpringBootTest(
    classes = ApiApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.autoconfigure.exclude="
          + "io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.NonRootNamespaceAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.TestServerAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.MetricsScopeAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.OpenTracingAutoConfiguration",
      "outbound.crm.credentials-key=http-api-test-credentials-key",
      "outbound.unsubscribe.secret=http-api-test-unsubscribe-secret-at-least-32-bytes",
      "outbound.api.admin.key=" + HttpApiTestSupport.ADMIN_KEY,
      "outbound.webhooks.secret=http-api-test-webhook-secret-at-least-32-bytes",
      "outbound.network.allow-private-hosts=false",
      "outbound.api.rate-limit.burst=100000",
      "outbound.api.rate-limit.requests-per-minute=100000",
      "outbound.api.max-request-size=64KB",
      "outbound.limits.max-leads-per-campaign=3"
    })
@Import(HttpApiTestSupport.Temporal.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("slow")
abstract class HttpApiTestSupport {

  static final String ADMIN_KEY = "http-api-test-admin-key-0123456789";
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** A real in-process Temporal service; no worker polls it. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Temporal {

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

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  /** One tenant's seeded data. */
  record Tenant(
      long id,
      String slug,
      String key,
      long mailbox,
      long campaign,
      List<Long> leads,
      long suppression,
      long importId) {}

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired MailboxStore mailboxStore;
  @Autowired WorkflowClient workflows;

  final HttpClient http = HttpClient.newHttpClient();
  GreenMail smtp;
  Tenant a;
  Tenant b;

  @BeforeAll
  void seedTwoTenants() throws Exception {
    smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    smtp.start();
    a = tenant("a");
    b = tenant("b");
  }

  @AfterAll
  void stopSmtp() {
    smtp.stop();
  }

  /** A client with a FULL key, a mailbox on the test SMTP server, a campaign of 2 leads. */
  Tenant tenant(String name) throws Exception {
    String slug =
        "tenant-" + name + "-" + getClass().getSimpleName().toLowerCase() + SEQ.incrementAndGet();
    long client =
        id(
            admin(
                "POST",
                "/api/v1/admin/clients",
                "{\"slug\":\"" + slug + "\",\"name\":\"Tenant " + name + "\"}",
                201));
    String key = newKey(client, "FULL");
    long mailbox =
        mailboxStore.create(
            client,
            new MailboxStore.NewMailbox(
                "sender@" + slug + ".example",
                "Sender " + name,
                new MailboxStore.Server(
                    "127.0.0.1",
                    smtp.getSmtp().getPort(),
                    "sender",
                    "smtp-password-" + slug,
                    false),
                null,
                50,
                0));
    long campaign =
        id(
            call(
                key,
                "POST",
                "/api/v1/campaigns",
                """
                {"name": "Campaign %s", "timezone": "Europe/Berlin", "mailboxIds": [%d],
                 "steps": [{"delay": "PT0S", "subject": "Hi {{firstName|there}}", "body": "Hello"}]}
                """
                    .formatted(slug, mailbox),
                201));
    call(
        key,
        "POST",
        "/api/v1/campaigns/" + campaign + "/leads",
        "[{\"email\":\"one@"
            + slug
            + ".example\",\"firstName\":\"One\"},"
            + "{\"email\":\"two@"
            + slug
            + ".example\",\"firstName\":\"Two\"}]",
        200);
    List<Long> leads =
        jdbc.sql("select id from enrolments where campaign_id = :c order by id")
            .param("c", campaign)
            .query(Long.class)
            .list();
    long suppression =
        id(
            call(
                key,
                "POST",
                "/api/v1/suppressions",
                "{\"kind\":\"DOMAIN\",\"value\":\"blocked-" + slug + ".example\"}",
                201));
    long importId =
        id(
            call(
                key,
                "POST",
                "/api/v1/campaigns/" + campaign + "/imports",
                "[{\"email\":\"three@" + slug + ".example\"}]",
                201));
    return new Tenant(client, slug, key, mailbox, campaign, leads, suppression, importId);
  }

  /** A new key of {@code scope} for the client, made through the admin API. */
  String newKey(long client, String scope) throws Exception {
    HttpResponse<String> made =
        admin(
            "POST",
            "/api/v1/admin/clients/" + client + "/api-keys",
            "{\"scope\":\"" + scope + "\"}",
            201);
    return JsonPath.read(made.body(), "$.key");
  }

  HttpResponse<String> admin(String method, String path, String body, int expected)
      throws Exception {
    return call(ADMIN_KEY, method, path, body, expected);
  }

  HttpResponse<String> call(String key, String method, String path, String body, int expected)
      throws Exception {
    HttpResponse<String> response = send(key, method, path, "application/json", body);
    assertThat(response.statusCode())
        .as(method + " " + path + ": " + response.body())
        .isEqualTo(expected);
    return response;
  }

  HttpResponse<String> send(String key, String method, String path, String contentType, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static long id(HttpResponse<String> response) {
    return ((Number) JsonPath.read(response.body(), "$.id")).longValue();
  }

  /**
   * A fingerprint of every table (row count and an MD5 of all rows in a fixed order), or of the
   * rows of one client when {@code client} is given. Equal fingerprints mean nothing was written.
   */
  Map<String, String> snapshot(Long client) {
    List<String> tables =
        jdbc.sql(
                "select table_name from information_schema.tables where table_schema = 'public'"
                    + " and table_type = 'BASE TABLE' order by table_name")
            .query(String.class)
            .list();
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : tables) {
      String where = "";
      if (client != null) {
        boolean scoped =
            jdbc.sql(
                    "select count(*) > 0 from information_schema.columns where table_schema ="
                        + " 'public' and table_name = :t and column_name = 'client_id'")
                .param("t", table)
                .query(Boolean.class)
                .single();
        if (table.equals("clients")) {
          where = " where t.id = " + client;
        } else if (scoped) {
          where = " where t.client_id = " + client;
        } else {
          continue;
        }
      }
      out.put(
          table,
          jdbc.sql(
                  "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by"
                      + " t::text)), '') from \""
                      + table
                      + "\" t"
                      + where)
              .query(String.class)
              .single());
    }
    return out;
  }
}
