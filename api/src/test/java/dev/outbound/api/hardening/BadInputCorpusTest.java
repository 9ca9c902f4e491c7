package dev.outbound.api.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.outbound.workflows.WorkflowIds;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input corpus: every case goes through the real HTTP API, must answer its 4xx as an RFC
 * 9457 problem detail whose text carries the expected message, and must leave every table of the
 * database (row counts and contents) and the SMTP server (no message) exactly as they were.
 *
 * <p>The corpus is data ({@link #CORPUS}); add a line to add a case. Placeholders in paths and
 * bodies are filled from the seeded tenants: {@code {campaignA}}, {@code {leadA}}, {@code
 * {mailboxA}}, {@code {suppressionA}}, {@code {stoppedA}}, {@code {clientA}}, and the same with B.
 * Keys: {@code A} (FULL), {@code READ} and {@code REVOKED} (both of A), {@code ADMIN}, {@code
 * NONE}, {@code BOGUS}.
 */
class BadInputCorpusTest extends HttpApiTestSupport {

  /** One bad request and what it must get. */
  record Case(
      String name,
      String key,
      String method,
      String path,
      String body,
      int status,
      String message) {

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String CAMPAIGN =
      """
      {"name": "C", "timezone": "Europe/Berlin", "mailboxIds": [{mailboxA}],
       "steps": [{"delay": "PT0S", "subject": "Hi", "body": "Hello"}]}""";

  private static final String MAILBOX =
      """
      {"email": "new@example.com", "displayName": "Sales",
       "smtp": {"host": "smtp.example.com", "port": 587, "username": "u", "password": "p"},
       "dailyCap": 10, "minGapSeconds": 0}""";

  private static final String CVE = "CVE-2025-7962";
  private static final String INTERNAL = "internal address";

  static final List<Case> CORPUS =
      List.of(
          // Authentication and scopes.
          new Case(
              "no key", "NONE", "GET", "/api/v1/campaigns", null, 401, "Authorization: Bearer"),
          new Case("unknown key", "BOGUS", "GET", "/api/v1/campaigns", null, 401, "not valid"),
          new Case("revoked key", "REVOKED", "GET", "/api/v1/campaigns", null, 401, "revoked"),
          new Case(
              "read key creates a campaign",
              "READ",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN,
              403,
              "read-only"),
          new Case(
              "read key adds leads",
              "READ",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"x@example.com\"}]",
              403,
              "read-only"),
          new Case(
              "read key deletes a suppression",
              "READ",
              "DELETE",
              "/api/v1/suppressions/{suppressionA}",
              null,
              403,
              "read-only"),
          new Case(
              "read key starts a campaign",
              "READ",
              "POST",
              "/api/v1/campaigns/{campaignA}/start",
              null,
              403,
              "read-only"),
          new Case(
              "read key patches a lead",
              "READ",
              "PATCH",
              "/api/v1/leads/{leadA}",
              "{\"firstName\":\"X\"}",
              403,
              "read-only"),
          new Case(
              "client key on the admin API",
              "A",
              "POST",
              "/api/v1/admin/clients",
              "{\"slug\":\"x\",\"name\":\"X\"}",
              401,
              "admin key is not valid"),
          new Case(
              "admin key on the client API",
              "ADMIN",
              "GET",
              "/api/v1/campaigns",
              null,
              401,
              "not valid"),
          // JSON shape: no mass assignment, no silent ignoring.
          new Case(
              "malformed JSON",
              "A",
              "POST",
              "/api/v1/campaigns",
              "{\"name\": ",
              400,
              "is not valid JSON"),
          new Case(
              "unknown field: status",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("{\"name\"", "{\"status\": \"ACTIVE\", \"name\""),
              400,
              "is not a known field"),
          new Case(
              "unknown field: clientId on a lead",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"x@example.com\",\"clientId\":{clientB}}]",
              400,
              "is not a known field"),
          new Case(
              "unknown nested field",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("\"port\": 587", "\"port\": 587, \"allowPrivate\": true"),
              400,
              "smtp.allowPrivate"),
          new Case(
              "unknown field: email in a lead patch",
              "A",
              "PATCH",
              "/api/v1/leads/{leadA}",
              "{\"email\":\"other@example.com\"}",
              400,
              "is not a known field"),
          new Case(
              "unknown field: id on a suppression",
              "A",
              "POST",
              "/api/v1/suppressions",
              "{\"id\":1,\"kind\":\"ADDRESS\",\"value\":\"x@example.com\"}",
              400,
              "is not a known field"),
          new Case(
              "wrong type",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("\"dailyCap\": 10", "\"dailyCap\": \"ten\""),
              400,
              "dailyCap"),
          new Case(
              "array for an object", "A", "POST", "/api/v1/campaigns", "[1, 2]", 400, "(body)"),
          new Case("empty body", "A", "POST", "/api/v1/campaigns", "", 400, "(body)"),
          new Case(
              "object for an array",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "{\"email\":\"x@example.com\"}",
              400,
              "(body)"),
          new Case(
              "body too large",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "["
                  + "{\"email\":\"x@example.com\"},".repeat(3000)
                  + "{\"email\":\"y@example.com\"}]",
              413,
              "larger than the limit"),
          // Campaigns: header values and templates.
          new Case(
              "campaign without a name",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"name\": \"C\", ", ""),
              400,
              "name"),
          new Case(
              "campaign name with CRLF",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"C\"", "\"C\\r\\nBcc: x@evil.example\""),
              400,
              CVE),
          new Case(
              "subject with CRLF and a Bcc header",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\r\\nBcc: victim@evil.example\""),
              400,
              CVE),
          new Case(
              "subject with a bare LF",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\nX-Evil: 1\""),
              400,
              CVE),
          new Case(
              "subject with NUL",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\u0000there\""),
              400,
              CVE),
          new Case(
              "subject with U+760D (CVE-2025-7962)",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\u760dBcc: x@evil.example\""),
              400,
              CVE),
          new Case(
              "subject with U+760A (CVE-2025-7962)",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\u760aBcc: x@evil.example\""),
              400,
              CVE),
          new Case(
              "subject with U+010D (low byte CR)",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\u010d\""),
              400,
              CVE),
          new Case(
              "subject with a line separator",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\u2028there\""),
              400,
              CVE),
          new Case(
              "subject with NEL",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\u0085there\""),
              400,
              CVE),
          new Case(
              "subject with a TAB",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi\\tthere\""),
              400,
              CVE),
          new Case(
              "variant subject with CRLF",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace(
                  "\"body\": \"Hello\"}",
                  "\"body\": \"Hello\", \"variants\": [{\"subject\": \"B\\r\\nBcc: x@evil.example\", \"body\": \"B\"}]}"),
              400,
              CVE),
          new Case(
              "unknown time zone",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("Europe/Berlin", "Mars/Olympus"),
              400,
              "time zone"),
          new Case(
              "negative delay",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("PT0S", "-PT5S"),
              400,
              "must not be negative"),
          new Case(
              "unclosed template",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hi\"", "\"Hi {{firstName\""),
              400,
              "not closed"),
          new Case(
              "template expression",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"Hello\"", "\"{{T(java.lang.Runtime).exec('id')}}\""),
              400,
              "not a valid template"),
          new Case(
              "another client's mailbox",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("{mailboxA}", "{mailboxB}"),
              400,
              "unknown mailbox IDs"),
          new Case(
              "no steps",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace(
                  "[{\"delay\": \"PT0S\", \"subject\": \"Hi\", \"body\": \"Hello\"}]", "[]"),
              400,
              "steps"),
          new Case(
              "domain limit 0",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace("\"mailboxIds\"", "\"domainHourlyLimit\": 0, \"mailboxIds\""),
              400,
              "domainHourlyLimit"),
          new Case(
              "send window at 25:00",
              "A",
              "POST",
              "/api/v1/campaigns",
              CAMPAIGN.replace(
                  "\"mailboxIds\"",
                  "\"sendWindow\": {\"days\": [\"MON\"], \"start\": \"25:00\", \"end\": \"26:00\"}, \"mailboxIds\""),
              400,
              "HH:mm"),
          // Leads.
          new Case(
              "lead email with CRLF and a Bcc",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a@example.com\\r\\nBcc: x@evil.example\"}]",
              400,
              "email"),
          new Case(
              "lead email with U+760D",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a\\u760d@example.com\"}]",
              400,
              CVE),
          new Case(
              "lead first name with LF",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a@example.com\",\"firstName\":\"Ada\\nBcc: x\"}]",
              400,
              CVE),
          new Case(
              "lead last name with U+760A",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a@example.com\",\"lastName\":\"L\\u760a\"}]",
              400,
              CVE),
          new Case(
              "lead company with NUL",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a@example.com\",\"company\":\"C\\u0000\"}]",
              400,
              CVE),
          new Case(
              "lead field value with CRLF",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a@example.com\",\"fields\":{\"role\":\"CTO\\r\\nBcc: x\"}}]",
              400,
              CVE),
          new Case(
              "lead field name with LF",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a@example.com\",\"fields\":{\"ro\\nle\":\"CTO\"}}]",
              400,
              CVE),
          new Case(
              "lead address without @",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"not-an-address\"}]",
              400,
              "email"),
          new Case(
              "lead time zone unknown",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a@example.com\",\"timezone\":\"Nowhere/Land\"}]",
              400,
              "time zone"),
          new Case(
              "lead country unknown",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"a@example.com\",\"country\":\"ZZZ\"}]",
              400,
              "country"),
          new Case(
              "leads past the campaign cap",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignA}/leads",
              "[{\"email\":\"c1@example.com\"},{\"email\":\"c2@example.com\"}]",
              409,
              "may hold at most 3"),
          new Case(
              "leads to another client's campaign",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignB}/leads",
              "[{\"email\":\"a@example.com\"}]",
              404,
              "No campaign"),
          new Case(
              "leads to a stopped campaign",
              "A",
              "POST",
              "/api/v1/campaigns/{stoppedA}/leads",
              "[{\"email\":\"a@example.com\"}]",
              409,
              "STOPPED"),
          new Case(
              "lead patch with CRLF",
              "A",
              "PATCH",
              "/api/v1/leads/{leadA}",
              "{\"firstName\":\"X\\r\\nBcc: y\"}",
              400,
              CVE),
          new Case(
              "lead patch of another client's lead",
              "A",
              "PATCH",
              "/api/v1/leads/{leadB}",
              "{\"firstName\":\"X\"}",
              404,
              "No lead"),
          new Case(
              "lead event of an unknown type",
              "A",
              "POST",
              "/api/v1/leads/{leadA}/events",
              "{\"type\":\"DELETED\"}",
              400,
              "type"),
          new Case(
              "mark-sent of a step that is not ambiguous",
              "A",
              "POST",
              "/api/v1/leads/{leadA}/steps/1/mark-sent",
              null,
              409,
              "ambiguous"),
          // Mailboxes: hosts (SSRF) and header values.
          new Case(
              "SMTP host 127.0.0.1",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "127.0.0.1"),
              400,
              INTERNAL),
          new Case(
              "SMTP host localhost",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "localhost"),
              400,
              INTERNAL),
          new Case(
              "SMTP host cloud metadata",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "169.254.169.254"),
              400,
              INTERNAL),
          new Case(
              "SMTP host 10.0.0.5",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "10.0.0.5"),
              400,
              INTERNAL),
          new Case(
              "SMTP host 172.16.0.1",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "172.16.0.1"),
              400,
              INTERNAL),
          new Case(
              "SMTP host 0.0.0.0",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "0.0.0.0"),
              400,
              INTERNAL),
          new Case(
              "SMTP host IPv6 loopback",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "[::1]"),
              400,
              INTERNAL),
          new Case(
              "SMTP host IPv4-mapped loopback",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "::ffff:127.0.0.1"),
              400,
              INTERNAL),
          new Case(
              "SMTP host IPv6 unique local",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "fd00:ec2::254"),
              400,
              INTERNAL),
          new Case(
              "SMTP host carrier-grade NAT",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "100.100.100.200"),
              400,
              INTERNAL),
          new Case(
              "IMAP host 192.168.1.1",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace(
                  "\"dailyCap\"",
                  "\"imap\": {\"host\": \"192.168.1.1\", \"port\": 993}, \"dailyCap\""),
              400,
              "imap.host"),
          new Case(
              "SMTP host with a path",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("smtp.example.com", "evil.example/x"),
              400,
              "host name"),
          new Case(
              "mailbox display name with CRLF",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("\"Sales\"", "\"Sales\\r\\nBcc: x@evil.example\""),
              400,
              CVE),
          new Case(
              "mailbox address with U+760A",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("new@example.com", "new\\u760a@example.com"),
              400,
              CVE),
          new Case(
              "mailbox password with CRLF",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("\"p\"", "\"p\\r\\nA1 LOGOUT\""),
              400,
              "smtp.password"),
          new Case(
              "mailbox username with LF",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("\"u\"", "\"u\\nRCPT TO:<x@evil.example>\""),
              400,
              "smtp.username"),
          new Case(
              "mailbox port 0",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("587", "0"),
              400,
              "smtp.port"),
          new Case(
              "mailbox daily cap 0",
              "A",
              "POST",
              "/api/v1/mailboxes",
              MAILBOX.replace("\"dailyCap\": 10", "\"dailyCap\": 0"),
              400,
              "dailyCap"),
          // Suppressions.
          new Case(
              "suppression without a kind",
              "A",
              "POST",
              "/api/v1/suppressions",
              "{\"value\":\"x@example.com\"}",
              400,
              "kind"),
          new Case(
              "suppression of an unknown kind",
              "A",
              "POST",
              "/api/v1/suppressions",
              "{\"kind\":\"EVERYTHING\",\"value\":\"x\"}",
              400,
              "kind"),
          new Case(
              "suppression with a blank value",
              "A",
              "POST",
              "/api/v1/suppressions",
              "{\"kind\":\"ADDRESS\",\"value\":\" \"}",
              400,
              "value"),
          new Case(
              "suppression address with CRLF",
              "A",
              "POST",
              "/api/v1/suppressions",
              "{\"kind\":\"ADDRESS\",\"value\":\"x@example.com\\r\\n\"}",
              400,
              "value"),
          new Case(
              "another client's suppression",
              "A",
              "DELETE",
              "/api/v1/suppressions/{suppressionB}",
              null,
              404,
              "No suppression"),
          // Control, paths and methods.
          new Case(
              "start another client's campaign",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignB}/start",
              null,
              404,
              "No campaign"),
          new Case(
              "stop another client's campaign",
              "A",
              "POST",
              "/api/v1/campaigns/{campaignB}/stop",
              null,
              404,
              "No campaign"),
          new Case(
              "pause another client's lead",
              "A",
              "POST",
              "/api/v1/leads/{leadB}/pause",
              null,
              404,
              "No lead"),
          new Case(
              "start a stopped campaign",
              "A",
              "POST",
              "/api/v1/campaigns/{stoppedA}/start",
              null,
              409,
              "STOPPED"),
          new Case("non-numeric ID", "A", "GET", "/api/v1/campaigns/abc", null, 400, "id"),
          new Case(
              "unknown path", "A", "GET", "/api/v1/nothing-here", null, 404, "No static resource"),
          new Case(
              "method not allowed",
              "A",
              "PUT",
              "/api/v1/campaigns/{campaignA}",
              CAMPAIGN,
              405,
              "PUT"),
          new Case(
              "page size too large",
              "A",
              "GET",
              "/api/v1/campaigns/{campaignA}/leads?size=100000",
              null,
              400,
              "size"),
          new Case(
              "unknown status filter",
              "A",
              "GET",
              "/api/v1/campaigns/{campaignA}/leads?status=GONE",
              null,
              400,
              "status"),
          // The admin API.
          new Case(
              "admin: bad slug",
              "ADMIN",
              "POST",
              "/api/v1/admin/clients",
              "{\"slug\":\"Bad Slug!\",\"name\":\"X\"}",
              400,
              "slug"),
          new Case(
              "admin: slug taken",
              "ADMIN",
              "POST",
              "/api/v1/admin/clients",
              "{\"slug\":\"{slugA}\",\"name\":\"X\"}",
              409,
              "exists"),
          new Case(
              "admin: client name with CRLF",
              "ADMIN",
              "POST",
              "/api/v1/admin/clients",
              "{\"slug\":\"crlf\",\"name\":\"X\\r\\nY\"}",
              400,
              "one line"),
          new Case(
              "admin: unknown field id",
              "ADMIN",
              "POST",
              "/api/v1/admin/clients",
              "{\"id\":1,\"slug\":\"idfield\",\"name\":\"X\"}",
              400,
              "is not a known field"),
          new Case(
              "admin: unknown scope",
              "ADMIN",
              "POST",
              "/api/v1/admin/clients/{clientA}/api-keys",
              "{\"scope\":\"ROOT\"}",
              400,
              "scope"),
          new Case(
              "admin: key without a scope",
              "ADMIN",
              "POST",
              "/api/v1/admin/clients/{clientA}/api-keys",
              "{}",
              400,
              "scope"),
          new Case(
              "admin: key for an unknown client",
              "ADMIN",
              "POST",
              "/api/v1/admin/clients/999999/api-keys",
              "{\"scope\":\"FULL\"}",
              404,
              "No client"),
          new Case(
              "admin: revoke another client's key",
              "ADMIN",
              "DELETE",
              "/api/v1/admin/clients/{clientA}/api-keys/{keyB}",
              null,
              404,
              "API key"));

  private String readKey;
  private String revokedKey;
  private long stoppedA;
  private long keyB;
  private Map<String, String> baseline;

  @BeforeAll
  void seedMore() throws Exception {
    readKey = newKey(a.id(), "READ");
    revokedKey = newKey(a.id(), "FULL");
    long revokedId =
        jdbc.sql("select max(id) from api_keys where client_id = :c")
            .param("c", a.id())
            .query(Long.class)
            .single();
    admin("DELETE", "/api/v1/admin/clients/" + a.id() + "/api-keys/" + revokedId, null, 200);
    keyB =
        jdbc.sql("select min(id) from api_keys where client_id = :c")
            .param("c", b.id())
            .query(Long.class)
            .single();
    stoppedA =
        id(
            call(
                a.key(),
                "POST",
                "/api/v1/campaigns",
                CAMPAIGN.replace("{mailboxA}", String.valueOf(a.mailbox())),
                201));
    call(a.key(), "POST", "/api/v1/campaigns/" + stoppedA + "/stop", null, 202);
    baseline = snapshot(null);
  }

  Stream<Case> corpus() {
    return CORPUS.stream();
  }

  @Test
  void holdsAtLeastSixtyCases() {
    assertThat(CORPUS).hasSizeGreaterThanOrEqualTo(60);
    assertThat(CORPUS.stream().map(Case::name).distinct().count()).isEqualTo(CORPUS.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void answersA4xxProblemAndChangesNothing(Case c) throws Exception {
    HttpResponse<String> response =
        send(key(c.key()), c.method(), fill(c.path()), "application/json", fill(c.body()));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(((Number) JsonPath.read(response.body(), "$.status")).intValue())
        .isEqualTo(c.status());
    assertThat(response.body()).contains(c.message());
    assertUnchanged();
  }

  @Test
  void cutsOffAChunkedBodyWithoutALengthAtTheLimit() throws Exception {
    byte[] body =
        ("[" + "{\"email\":\"x@example.com\"},".repeat(3000) + "{\"email\":\"y@example.com\"}]")
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:" + port + "/api/v1/campaigns/" + a.campaign() + "/leads"))
            .header("Authorization", "Bearer " + a.key())
            .header("Content-Type", "application/json")
            // An input stream of unknown length goes out chunked, without Content-Length.
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(response.body()).contains("larger than the limit of 65536 bytes");
    assertUnchanged();
  }

  private void assertUnchanged() {
    assertThat(snapshot(null)).isEqualTo(baseline);
    assertThat(smtp.getReceivedMessages()).isEmpty();
    assertThat(workflowExists(WorkflowIds.campaign(a.campaign()))).isFalse();
    assertThat(workflowExists(WorkflowIds.campaign(b.campaign()))).isFalse();
  }

  private boolean workflowExists(String workflowId) {
    try {
      workflows.fetchHistory(workflowId);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String key(String name) {
    return switch (name) {
      case "A" -> a.key();
      case "B" -> b.key();
      case "READ" -> readKey;
      case "REVOKED" -> revokedKey;
      case "ADMIN" -> ADMIN_KEY;
      case "BOGUS" -> "obk_not-a-key-of-anyone";
      case "NONE" -> null;
      default -> throw new IllegalArgumentException("unknown key in the corpus: " + name);
    };
  }

  private String fill(String text) {
    if (text == null) {
      return null;
    }
    return text.replace("{campaignA}", String.valueOf(a.campaign()))
        .replace("{campaignB}", String.valueOf(b.campaign()))
        .replace("{leadA}", String.valueOf(a.leads().get(0)))
        .replace("{leadB}", String.valueOf(b.leads().get(0)))
        .replace("{mailboxA}", String.valueOf(a.mailbox()))
        .replace("{mailboxB}", String.valueOf(b.mailbox()))
        .replace("{suppressionA}", String.valueOf(a.suppression()))
        .replace("{suppressionB}", String.valueOf(b.suppression()))
        .replace("{stoppedA}", String.valueOf(stoppedA))
        .replace("{clientA}", String.valueOf(a.id()))
        .replace("{clientB}", String.valueOf(b.id()))
        .replace("{slugA}", a.slug())
        .replace("{keyB}", String.valueOf(keyB));
  }
}
