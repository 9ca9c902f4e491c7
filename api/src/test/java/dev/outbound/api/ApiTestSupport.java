package dev.outbound.api;

import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.jayway.jsonpath.JsonPath;
import dev.outbound.crm.ClientStore;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.TaskQueues;
import dev.outbound.workflows.WorkflowIds;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DataConverter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The whole API on embedded PostgreSQL and an in-process Temporal service, driven through MockMvc.
 * All API test classes share one application context (and one database); each test makes its own
 * campaigns, so tests do not depend on each other.
 */
@SpringBootTest(
    classes = ApiApplication.class,
    properties = {
      "spring.autoconfigure.exclude="
          + "io.temporal.spring.boot.autoconfigure.ServiceStubsAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.NonRootNamespaceAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.TestServerAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.MetricsScopeAutoConfiguration,"
          + "io.temporal.spring.boot.autoconfigure.OpenTracingAutoConfiguration",
      "outbound.crm.credentials-key=api-test-credentials-key",
      "outbound.unsubscribe.secret=" + ApiTestSupport.UNSUBSCRIBE_SECRET,
      "outbound.webhooks.secret=" + ApiTestSupport.WEBHOOK_SECRET,
      // The tests' mailboxes point at localhost.
      "outbound.network.allow-private-hosts=true",
      // Many tests share two keys and run fast; RateLimitApiTest checks the limit on its own.
      "outbound.api.rate-limit.enabled=false",
      "outbound.api.admin.key=" + ApiTestSupport.ADMIN_KEY
    })
@AutoConfigureMockMvc
@Import(TemporalTestConfiguration.class)
@Tag("slow")
abstract class ApiTestSupport {

  static final String ACME = "acme-test-key";
  static final String GLOBEX = "globex-test-key";

  /** The operator's key of the admin API in these tests. */
  static final String ADMIN_KEY = "api-test-admin-key-0123456789";

  /** Signs the unsubscribe links of the API tests (at least 32 bytes). */
  static final String UNSUBSCRIBE_SECRET = "api-test-unsubscribe-secret-at-least-32-bytes";

  /** Derives the clients' webhook secrets (at least 32 bytes). */
  static final String WEBHOOK_SECRET = "api-test-webhook-master-secret-32-bytes-or-more";

  private static final AtomicInteger SEQ = new AtomicInteger();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired MockMvc mvc;
  @Autowired ClientStore clients;
  @Autowired WorkflowClient workflows;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void seedClients() {
    clients.ensureApiKey(clients.ensureClient("acme", "Acme"), ACME, "test");
    clients.ensureApiKey(clients.ensureClient("globex", "Globex"), GLOBEX, "test");
  }

  static int unique() {
    return SEQ.incrementAndGet();
  }

  ResultActions postJson(String key, String path, String json) throws Exception {
    return mvc.perform(
        org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .contentType(MediaType.APPLICATION_JSON)
            .content(json));
  }

  ResultActions deleteAs(String key, String path) throws Exception {
    return mvc.perform(
        org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + key));
  }

  ResultActions patchJson(String key, String path, String json) throws Exception {
    return mvc.perform(
        org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
            .contentType(MediaType.APPLICATION_JSON)
            .content(json));
  }

  ResultActions post(String key, String path) throws Exception {
    return mvc.perform(
        org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + key));
  }

  ResultActions get(String key, String path) throws Exception {
    return mvc.perform(
        org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(path)
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + key));
  }

  static long id(ResultActions result) throws Exception {
    return ((Number) JsonPath.read(result.andReturn().getResponse().getContentAsString(), "$.id"))
        .longValue();
  }

  long createMailbox(String key) throws Exception {
    String json =
        """
        {"email": "sender%d@example.com", "displayName": "Sales",
         "smtp": {"host": "localhost", "port": 3025, "username": "sales", "password": "smtp-secret", "tls": false},
         "imap": {"host": "localhost", "port": 3143, "username": "sales", "password": "imap-secret"},
         "dailyCap": 100, "minGapSeconds": 0}
        """
            .formatted(unique());
    return id(postJson(key, "/api/v1/mailboxes", json).andExpect(status().isCreated()));
  }

  long createCampaign(String key) throws Exception {
    long mailbox = createMailbox(key);
    String json =
        """
        {"name": "Q1 outreach", "timezone": "Europe/Berlin", "mailboxIds": [%d],
         "steps": [{"delay": "PT0S", "subject": "Hi {{firstName|there}}", "body": "Hello {{firstName}}"},
                   {"delay": "P3D", "subject": "Re: hi", "body": "Following up"}]}
        """
            .formatted(mailbox);
    return id(postJson(key, "/api/v1/campaigns", json).andExpect(status().isCreated()));
  }

  /** Adds {@code count} new leads and returns their emails. */
  List<String> addLeads(String key, long campaign, int count) throws Exception {
    int run = unique();
    List<String> emails =
        java.util.stream.IntStream.range(0, count)
            .mapToObj(i -> "lead" + run + "-" + i + "@example.com")
            .toList();
    StringBuilder json = new StringBuilder("[");
    for (String email : emails) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("{\"email\":\"").append(email).append("\",\"firstName\":\"Ada\"}");
    }
    json.append(']');
    postJson(key, "/api/v1/campaigns/" + campaign + "/leads", json.toString())
        .andExpect(status().isOk());
    return emails;
  }

  /** The lead IDs of a campaign, in the order they were added. */
  List<Long> leadIds(long campaign) {
    return jdbc.sql("select id from enrolments where campaign_id = :c order by id")
        .param("c", campaign)
        .query(Long.class)
        .list();
  }

  /**
   * Marks the client's lead started and starts its sequence on the test server (no worker polls it,
   * so it stays open for the signals a test looks at); returns the workflow ID.
   */
  String startLeadWorkflow(long client, long campaign, long lead) {
    jdbc.sql("update enrolments set status = 'ACTIVE', started_at = now() where id = :id")
        .param("id", lead)
        .update();
    LeadSequenceWorkflow stub =
        workflows.newWorkflowStub(
            LeadSequenceWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.leadSequence(campaign, lead))
                .setTaskQueue(TaskQueues.OUTBOUND)
                .build());
    WorkflowClient.start(stub::run, new LeadRef(client, campaign, lead), null);
    return WorkflowIds.leadSequence(campaign, lead);
  }

  List<HistoryEvent> history(String workflowId) {
    return workflows.fetchHistory(workflowId).getHistory().getEventsList();
  }

  /** The names of the signals a workflow received, in order. */
  List<String> signals(String workflowId) {
    return history(workflowId).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .map(e -> e.getWorkflowExecutionSignaledEventAttributes().getSignalName())
        .toList();
  }

  /** The argument of each signal named {@code name}, in order. */
  <T> List<T> signalArguments(String workflowId, String name, Class<T> type) {
    return history(workflowId).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .map(HistoryEvent::getWorkflowExecutionSignaledEventAttributes)
        .filter(a -> a.getSignalName().equals(name))
        .map(
            a ->
                DataConverter.getDefaultInstance()
                    .fromPayload(a.getInput().getPayloads(0), type, type))
        .toList();
  }

  long starts(String workflowId) {
    return history(workflowId).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
        .count();
  }

  boolean workflowExists(String workflowId) {
    try {
      workflows.fetchHistory(workflowId);
      return true;
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof StatusRuntimeException s
            && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
          return false;
        }
      }
      throw e;
    }
  }
}
