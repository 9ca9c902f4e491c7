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
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole system on its embedded stack, driven only through the REST API, checked by what the
 * SMTP server received and what a mail client reads over IMAP.
 */
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
