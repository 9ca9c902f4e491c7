package dev.outbound.api.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.jayway.jsonpath.JsonPath;
import dev.outbound.workflows.WorkflowIds;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Client A's key with client B's IDs, for every operation of the OpenAPI document: each answers 404
 * (the ID is not A's), and B's rows and workflows stay exactly as they were. Operations without a
 * path variable are called with B's IDs in their body where they take IDs, and must neither show
 * nor change B's data.
 *
 * <p>The list of operations comes from {@code /v3/api-docs}, so a new endpoint cannot skip this
 * test: an operation it does not know fails it until someone says here how to call it (or why it is
 * exempt).
 */
class TwoTenantTest extends HttpApiTestSupport {

  /** Operations outside tenancy, with the reason. Everything else must be in {@link #CALLS}. */
  private static final Map<String, String> EXEMPT =
      Map.of(
          "/api/v1/admin/",
          "the operator's admin API: the admin key, never a client's (BadInputCorpusTest shows a"
              + " client key is refused there)",
          "/u/",
          "the public unsubscribe link: no API key at all, the signed token names the client and"
              + " lead; a forged or altered token answers 404 (UnsubscribeApiTest)",
          "/hooks/",
          "a booking tool's signed webhook: no API key; only a signature made with the secret"
              + " derived for the client in the path is accepted, another client's answers 401"
              + " (InboundApiTest)");

  /** How to call an operation with B's IDs: a body (or null) and the answer A must get. */
  record Call(String body, int status) {}

  /** Keyed by "METHOD path" as in the OpenAPI document; bodies may use {mailboxB} etc. */
  private static final Map<String, Call> CALLS =
      Map.ofEntries(
          // With B's ID in the path: 404.
          Map.entry("GET /api/v1/campaigns/{id}", new Call(null, 404)),
          Map.entry("POST /api/v1/campaigns/{id}/start", new Call(null, 404)),
          Map.entry("POST /api/v1/campaigns/{id}/pause", new Call(null, 404)),
          Map.entry("POST /api/v1/campaigns/{id}/resume", new Call(null, 404)),
          Map.entry("POST /api/v1/campaigns/{id}/stop", new Call(null, 404)),
          Map.entry("GET /api/v1/campaigns/{id}/leads", new Call(null, 404)),
          Map.entry(
              "POST /api/v1/campaigns/{id}/leads",
              new Call("[{\"email\":\"intruder@example.com\"}]", 404)),
          Map.entry("GET /api/v1/leads/{id}", new Call(null, 404)),
          Map.entry("PATCH /api/v1/leads/{id}", new Call("{\"firstName\":\"Intruder\"}", 404)),
          Map.entry("POST /api/v1/leads/{id}/pause", new Call(null, 404)),
          Map.entry("POST /api/v1/leads/{id}/resume", new Call(null, 404)),
          Map.entry("POST /api/v1/leads/{id}/events", new Call("{\"type\":\"REPLIED\"}", 404)),
          Map.entry("POST /api/v1/leads/{id}/steps/{step}/mark-sent", new Call(null, 404)),
          Map.entry("POST /api/v1/leads/{id}/steps/{step}/resend", new Call(null, 404)),
          Map.entry("GET /api/v1/mailboxes/{id}", new Call(null, 404)),
          Map.entry(
              "POST /api/v1/campaigns/{id}/imports",
              new Call("[{\"email\":\"intruder@attacker.example\"}]", 404)),
          Map.entry("GET /api/v1/imports/{id}", new Call(null, 404)),
          Map.entry("POST /api/v1/imports/{id}/resume", new Call(null, 404)),
          Map.entry("POST /api/v1/mailboxes/{id}/pause", new Call(null, 404)),
          Map.entry("POST /api/v1/mailboxes/{id}/resume", new Call(null, 404)),
          Map.entry(
              "PUT /api/v1/mailboxes/{id}/credentials",
              new Call("{\"smtpPassword\":\"intruder\"}", 404)),
          Map.entry("DELETE /api/v1/suppressions/{id}", new Call(null, 404)),
          // Without a path variable: B's IDs where the body takes IDs, else A's own data.
          Map.entry("GET /api/v1/campaigns", new Call(null, 200)),
          Map.entry(
              "POST /api/v1/campaigns",
              new Call(
                  """
                  {"name": "Intrusion", "timezone": "UTC", "mailboxIds": [{mailboxB}],
                   "steps": [{"delay": "PT0S", "subject": "Hi", "body": "Hello"}]}""",
                  400)),
          Map.entry(
              "POST /api/v1/mailboxes",
              new Call(
                  """
                  {"email": "{emailB}", "displayName": "Same address as B's",
                   "smtp": {"host": "203.0.113.10", "port": 587}, "dailyCap": 5, "minGapSeconds": 0}""",
                  201)),
          Map.entry("GET /api/v1/suppressions", new Call(null, 200)),
          // The caller's own webhook URL and secret, derived from its own client ID.
          Map.entry("GET /api/v1/webhooks/meetings", new Call(null, 200)),
          Map.entry(
              "POST /api/v1/suppressions",
              new Call("{\"kind\":\"DOMAIN\",\"value\":\"blocked-{slugB}.example\"}", 201)));

  /** Which seeded ID of B a path variable takes, by the collection it follows. */
  private long idOfB(String path, String variable) {
    if (variable.equals("step")) {
      return 1;
    }
    if (variable.equals("id")) {
      if (path.startsWith("/api/v1/campaigns/")) {
        return b.campaign();
      }
      if (path.startsWith("/api/v1/leads/")) {
        return b.leads().get(0);
      }
      if (path.startsWith("/api/v1/mailboxes/")) {
        return b.mailbox();
      }
      if (path.startsWith("/api/v1/suppressions/")) {
        return b.suppression();
      }
      if (path.startsWith("/api/v1/imports/")) {
        return b.importId();
      }
    }
    return fail(
        "The two-tenant test does not know which of client B's IDs goes into {"
            + variable
            + "} of "
            + path
            + ": add it to TwoTenantTest.idOfB.");
  }

  @Test
  void clientAsKeyWithClientBsIdsNeverReadsOrChangesAnythingOfB() throws Exception {
    HttpResponse<String> docs = send(null, "GET", "/v3/api-docs", null, null);
    assertThat(docs.statusCode()).isEqualTo(200);
    Map<String, Map<String, Object>> paths = JsonPath.read(docs.body(), "$.paths");

    Map<String, String> bBefore = snapshot(b.id());
    List<String> unknown = new ArrayList<>();
    Set<String> called = new TreeSet<>();
    Map<String, String> exempted = new TreeMap<>();
    for (var path : paths.entrySet()) {
      for (String method : path.getValue().keySet()) {
        String operation = method.toUpperCase() + " " + path.getKey();
        String exemption =
            EXEMPT.entrySet().stream()
                .filter(e -> path.getKey().startsWith(e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        if (exemption != null) {
          exempted.put(operation, exemption);
          continue;
        }
        Call call = CALLS.get(operation);
        if (call == null) {
          unknown.add(operation);
          continue;
        }
        called.add(operation);
        String body = fillB(call.body());
        HttpResponse<String> response =
            send(
                a.key(), method.toUpperCase(), withIdsOfB(path.getKey()), "application/json", body);
        assertThat(response.statusCode())
            .as(operation + ": " + response.body())
            .isEqualTo(call.status());
        if (call.status() == 404) {
          assertThat(response.body()).as(operation).contains("No ");
        }
        if (body == null || !body.contains(b.slug())) {
          // B's slug is in all of B's names and addresses; A sees it only where A sent it itself.
          assertThat(response.body())
              .as(operation + " shows nothing of B")
              .doesNotContain(b.slug());
        }
        assertThat(snapshot(b.id()))
            .as(operation + " leaves B's rows as they were")
            .isEqualTo(bBefore);
      }
    }

    assertThat(unknown)
        .as(
            "operations in the OpenAPI document that the two-tenant test does not know how to"
                + " call: add each to TwoTenantTest.CALLS (or EXEMPT, with a reason)")
        .isEmpty();
    assertThat(called)
        .as("every known call is still in the document")
        .isEqualTo(new TreeSet<>(CALLS.keySet()));
    assertThat(exempted).isNotEmpty();
    assertThat(workflowExists(WorkflowIds.campaign(b.campaign()))).isFalse();
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  private String withIdsOfB(String path) {
    Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, String.valueOf(idOfB(path, m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String fillB(String body) {
    if (body == null) {
      return null;
    }
    String emailB =
        jdbc.sql("select email from mailboxes where id = :id")
            .param("id", b.mailbox())
            .query(String.class)
            .single();
    return body.replace("{mailboxB}", String.valueOf(b.mailbox()))
        .replace("{emailB}", emailB)
        .replace("{slugB}", b.slug());
  }

  private boolean workflowExists(String workflowId) {
    try {
      workflows.fetchHistory(workflowId);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
