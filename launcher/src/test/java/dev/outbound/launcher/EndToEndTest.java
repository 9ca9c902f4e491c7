package dev.outbound.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system on its embedded stack, driven only through the REST API, checked by what the
 * SMTP server received and what a mail client reads over IMAP.
 */
@Tag("slow")
class EndToEndTest {

  private static ConfigurableApplicationContext app;
  private static EmbeddedStack stack;
  private static String base;
  private static final JsonMapper json = JsonMapper.builder().build();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static ApiCalls api;

  @BeforeAll
  static void startTheSystem() throws IOException {
    app =
        LauncherApplication.builder()
            .run(
                "--server.port=0",
                "--outbound.dev.temporal-port=" + ApiCalls.freePort(),
                "--outbound.dev.postgres-port=" + ApiCalls.freePort(),
                "--outbound.dev.smtp-port=" + ApiCalls.freePort(),
                "--outbound.dev.imap-port=" + ApiCalls.freePort(),
                "--outbound.dev.api-key=e2e-key");
    stack = app.getBean(EmbeddedStack.class);
    base =
        "http://localhost:"
            + ((WebServerApplicationContext) app).getWebServer().getPort()
            + "/api/v1";
    api = new ApiCalls(base, "e2e-key");
  }

  @AfterAll
  static void stopTheSystem() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void aStartedCampaignDeliversEveryStepToEveryLeadExactlyOnce() throws Exception {
    long mailbox =
        api.post(
                "/mailboxes",
                Map.of(
                    "email",
                    "sales@agency.test",
                    "displayName",
                    "Sam Sender",
                    "smtp",
                    Map.of("host", "localhost", "port", stack.smtpPort(), "tls", false),
                    "imap",
                    Map.of(
                        "host", "localhost",
                        "port", stack.imapPort(),
                        "username", "sales@agency.test",
                        "password", "x",
                        "tls", false),
                    "dailyCap",
                    100,
                    "minGapSeconds",
                    0),
                201)
            .get("id")
            .asLong();
    long campaign =
        api.post(
                "/campaigns",
                Map.of(
                    "name",
                    "E2E",
                    "timezone",
                    "Europe/Berlin",
                    "mailboxIds",
                    List.of(mailbox),
                    "steps",
                    List.of(
                        Map.of(
                            "delay",
                            "PT0S",
                            "subject",
                            "Hello {{firstName|there}}",
                            "body",
                            "Hi {{firstName|there}} at {{company|your company}}"),
                        Map.of(
                            "delay",
                            "PT2S",
                            "subject",
                            "Re: Hello {{firstName|there}}",
                            "body",
                            "Following up"))),
                201)
            .get("id")
            .asLong();
    JsonNode added =
        api.post(
            "/campaigns/" + campaign + "/leads",
            List.of(
                Map.of("email", "ada@client.test", "firstName", "Ada", "company", "Engines <Ltd>"),
                Map.of("email", "grace@client.test", "firstName", "Grace"),
                Map.of("email", "alan@client.test"),
                Map.of("email", "ADA@client.test", "firstName", "Duplicate")),
            200);
    assertThat(added.get("accepted").asInt()).isEqualTo(3);
    assertThat(added.get("rejected").get(0).get("index").asInt()).isEqualTo(3);

    api.post("/campaigns/" + campaign + "/start", null, 202);
    api.post("/campaigns/" + campaign + "/start", null, 202);

    JsonNode leads = awaitAllLeads(campaign, "COMPLETED", Duration.ofSeconds(90));
    assertThat(leads.get("total").asInt()).isEqualTo(3);

    GreenMail mail = stack.greenMail();
    Thread.sleep(3_000); // Anything sent twice would have arrived by now.
    MimeMessage[] received = mail.getReceivedMessages();
    assertThat(received).hasSize(6);
    Set<String> messageIds = new HashSet<>();
    for (MimeMessage message : received) {
      messageIds.add(message.getMessageID());
    }
    assertThat(messageIds).as("one Message-ID per (lead, step)").hasSize(6);

    List<String> adaSubjects = new ArrayList<>();
    MimeMessage adaFirst = null;
    MimeMessage adaSecond = null;
    for (MimeMessage message : mail.getReceivedMessagesForDomain("client.test")) {
      if (Arrays.toString(message.getRecipients(Message.RecipientType.TO))
          .contains("ada@client.test")) {
        adaSubjects.add(message.getSubject());
        if (message.getSubject().startsWith("Re:")) {
          adaSecond = message;
        } else {
          adaFirst = message;
        }
      }
    }
    assertThat(adaSubjects).containsExactlyInAnyOrder("Hello Ada", "Re: Hello Ada");
    assertThat(adaFirst.getFrom()[0].toString()).contains("sales@agency.test");
    assertThat(adaSecond.getHeader("In-Reply-To")[0]).isEqualTo(adaFirst.getMessageID());

    // A mail client reading the lead's inbox over IMAP sees both steps; the fallback filled the
    // name.
    assertThat(new Demo(null, stack, app).inbox("alan@client.test"))
        .containsExactlyInAnyOrder("Hello there", "Re: Hello there");

    JsonNode summary = api.get("/campaigns/" + campaign);
    assertThat(summary.get("status").asString()).isEqualTo("ACTIVE");
    assertThat(summary.get("counts").get("leads").asInt()).isEqualTo(3);
    assertThat(summary.get("counts").get("completed").asInt()).isEqualTo(3);
    assertThat(summary.get("steps").get(0).get("sent").asInt()).isEqualTo(3);
    assertThat(summary.get("steps").get(1).get("sent").asInt()).isEqualTo(3);

    long adaId = -1;
    for (JsonNode item : leads.get("items")) {
      if (item.get("email").asString().equals("ada@client.test")) {
        adaId = item.get("id").asLong();
      }
    }
    JsonNode ada = api.get("/leads/" + adaId);
    List<String> events = new ArrayList<>();
    for (JsonNode event : ada.get("timeline")) {
      events.add(event.get("type").asString() + ":" + event.get("step").asInt());
    }
    assertThat(events).containsSubsequence("SENT:1", "SENT:2", "COMPLETED:2");
  }

  private long mailbox(String email, int dailyCap, String timezone) throws Exception {
    return api.post(
            "/mailboxes",
            Map.of(
                "email",
                email,
                "displayName",
                "Pat Pacer",
                "smtp",
                Map.of("host", "localhost", "port", stack.smtpPort(), "tls", false),
                "dailyCap",
                dailyCap,
                "minGapSeconds",
                0,
                "timezone",
                timezone),
            201)
        .get("id")
        .asLong();
  }

  private long campaign(String name, long mailbox, Map<String, Object> window) throws Exception {
    Map<String, Object> body = new java.util.HashMap<>();
    body.put("name", name);
    body.put("timezone", "Europe/Berlin");
    body.put("mailboxIds", List.of(mailbox));
    body.put(
        "steps",
        List.of(
            Map.of("delay", "PT0S", "subject", "Hello {{firstName|there}}", "body", "Hi"),
            Map.of("delay", "P1D", "subject", "", "body", "Following up")));
    if (window != null) {
      body.put("sendWindow", window);
    }
    return api.post("/campaigns", body, 201).get("id").asLong();
  }

  private List<JsonNode> leadsOf(long campaign) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode item : api.get("/campaigns/" + campaign + "/leads?size=100").get("items")) {
      found.add(api.get("/leads/" + item.get("id").asLong()));
    }
    return found;
  }

  private static boolean isDeferred(JsonNode lead) {
    JsonNode outcome = lead.get("lastOutcome");
    return outcome != null && !outcome.isNull() && outcome.asString().startsWith("DEFERRED");
  }

  private int receivedFrom(String sender) throws Exception {
    int count = 0;
    for (MimeMessage message : stack.greenMail().getReceivedMessages()) {
      if (message.getFrom()[0].toString().contains(sender)) {
        count++;
      }
    }
    return count;
  }

  @Test
  void aCampaignWhoseWindowIsClosedNowSendsNothingAndSchedulesEachLeadAtItsNextOpening()
      throws Exception {
    // A window on one weekday only, two days after today in Berlin: closed now in Berlin and in
    // New York (whose today is Berlin's today or the day before).
    java.time.DayOfWeek day =
        java.time.LocalDate.now(java.time.ZoneId.of("Europe/Berlin")).plusDays(2).getDayOfWeek();
    long mailbox = mailbox("window@agency.test", 100, "UTC");
    long campaign =
        campaign(
            "Window",
            mailbox,
            Map.of("days", List.of(day.name().substring(0, 3)), "start", "09:00", "end", "17:00"));
    api.post(
        "/campaigns/" + campaign + "/leads",
        List.of(
            Map.of("email", "berlin@window.test", "timezone", "Europe/Berlin"),
            Map.of("email", "newyork@window.test", "timezone", "America/New_York")),
        200);
    api.post("/campaigns/" + campaign + "/start", null, 202);

    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<JsonNode> leads = leadsOf(campaign);
    while (leads.stream().anyMatch(l -> !isDeferred(l)) && System.nanoTime() < until) {
      Thread.sleep(250);
      leads = leadsOf(campaign);
    }
    for (JsonNode lead : leads) {
      java.time.ZoneId zone = java.time.ZoneId.of(lead.get("timezone").asString());
      java.time.Instant expected =
          java.time.LocalDate.now(zone)
              .with(java.time.temporal.TemporalAdjusters.next(day))
              .atTime(9, 0)
              .atZone(zone)
              .toInstant();
      assertThat(lead.get("status").asString()).isEqualTo("ACTIVE");
      assertThat(java.time.Instant.parse(lead.get("nextSendAt").asString()))
          .as("next send of the lead in " + zone)
          .isEqualTo(expected);
    }
    assertThat(receivedFrom("window@agency.test")).isZero();
  }

  @Test
  void aMailboxWithADailyCapOfTwoSendsTwoTodayAndSchedulesTheOtherThree() throws Exception {
    long mailbox = mailbox("capped@agency.test", 2, "UTC");
    long campaign = campaign("Cap", mailbox, null);
    List<Map<String, Object>> people = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      people.add(Map.of("email", "lead" + i + "@cap" + i + ".test"));
    }
    api.post("/campaigns/" + campaign + "/leads", people, 200);
    api.post("/campaigns/" + campaign + "/start", null, 202);

    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<JsonNode> leads = leadsOf(campaign);
    while (leads.stream().filter(l -> isDeferred(l) || l.get("currentStep").asInt() == 1).count()
            < 5
        && System.nanoTime() < until) {
      Thread.sleep(250);
      leads = leadsOf(campaign);
    }
    java.time.Instant tomorrow =
        java.time.LocalDate.now(java.time.ZoneOffset.UTC)
            .plusDays(1)
            .atStartOfDay(java.time.ZoneOffset.UTC)
            .toInstant();
    long scheduledForTomorrow =
        leads.stream()
            .filter(l -> l.get("currentStep").asInt() == 0)
            .filter(
                l -> !java.time.Instant.parse(l.get("nextSendAt").asString()).isBefore(tomorrow))
            .count();
    Thread.sleep(2_000); // nothing more goes out today
    assertThat(receivedFrom("capped@agency.test")).isEqualTo(2);
    assertThat(scheduledForTomorrow).isEqualTo(3);
    JsonNode usage = api.get("/mailboxes/" + mailbox).get("usage");
    assertThat(usage.get("capToday").asInt()).isEqualTo(2);
    assertThat(usage.get("remainingToday").asInt()).isZero();

    // The worker's metrics show the product's counters and Temporal's own.
    String root = base.substring(0, base.indexOf("/api/v1"));
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(root + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics).contains("outbound_emails_sent_total").contains("temporal_");
    assertThat(metrics).contains("outbound_sends_deferred_total");
  }

  @Test
  void healthProbesAnswerOnTheEmbeddedStack() throws Exception {
    String root = base.substring(0, base.indexOf("/api/v1"));
    for (String probe : List.of("liveness", "readiness")) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(root + "/actuator/health/" + probe)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(probe).isEqualTo(200);
      assertThat(json.readTree(answer.body()).get("status").asString()).isEqualTo("UP");
    }
  }

  @Test
  void theApiRefusesRequestsWithoutTheClientsKey() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/campaigns")).GET().build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
  }

  private static JsonNode awaitAllLeads(long campaign, String status, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode page = null;
    while (System.nanoTime() < deadline) {
      page = api.get("/campaigns/" + campaign + "/leads?size=50");
      boolean all = page.get("items").size() > 0;
      for (JsonNode item : page.get("items")) {
        all &= item.get("status").asString().equals(status);
      }
      if (all) {
        return page;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("leads did not all reach " + status + " in " + timeout + ": " + page);
  }
}
