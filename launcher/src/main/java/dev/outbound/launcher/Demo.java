package dev.outbound.launcher;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --demo}: the README's tour, run by itself through the public REST API and IMAP, reporting
 * progress as it goes. The system keeps running afterwards so the campaign can be explored.
 */
@Component
@Order(1)
class Demo implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(Demo.class);
  static final List<String> LEADS =
      List.of("ada@example.com", "grace@example.com", "alan@example.com");

  private final DevProperties properties;
  private final EmbeddedStack stack;
  private final ApplicationContext context;
  private final JsonMapper json = JsonMapper.builder().build();
  private final HttpClient http = HttpClient.newHttpClient();

  Demo(DevProperties properties, EmbeddedStack stack, ApplicationContext context) {
    this.properties = properties;
    this.stack = stack;
    this.context = context;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (!args.containsOption("demo")) {
      return;
    }
    if (stack.greenMail() == null) {
      log.warn("--demo needs the embedded mail server (outbound.dev.mail=true); skipping the demo");
      return;
    }
    Thread thread = new Thread(this::runDemo, "outbound-demo");
    thread.setDaemon(true);
    thread.start();
  }

  private void runDemo() {
    try {
      int port = ((WebServerApplicationContext) context).getWebServer().getPort();
      String base = "http://localhost:" + port + "/api/v1";
      say("1/5 creating a mailbox on the embedded SMTP server");
      JsonNode mailbox =
          post(
              base + "/mailboxes",
              Map.of(
                  "email",
                  "sales@demo-agency.test",
                  "displayName",
                  "Sam from Demo Agency",
                  "smtp",
                  Map.of("host", "localhost", "port", stack.smtpPort(), "tls", false),
                  "imap",
                  Map.of(
                      "host", "localhost",
                      "port", stack.imapPort(),
                      "username", "sales@demo-agency.test",
                      "password", "any",
                      "tls", false),
                  "dailyCap",
                  200,
                  "minGapSeconds",
                  0));
      long mailboxId = mailbox.get("id").asLong();

      say("2/5 creating a campaign with two steps, 5 seconds apart");
      JsonNode campaign =
          post(
              base + "/campaigns",
              Map.of(
                  "name",
                  "Demo campaign",
                  "timezone",
                  "Europe/Berlin",
                  "mailboxIds",
                  List.of(mailboxId),
                  "steps",
                  List.of(
                      Map.of(
                          "delay", "PT0S",
                          "subject", "Quick question, {{firstName|there}}",
                          "body",
                              "Hi {{firstName|there}},\n\nWould {{company|your team}} like to book"
                                  + " more meetings?\n\nSam"),
                      Map.of(
                          "delay", "PT5S",
                          "subject", "Re: Quick question, {{firstName|there}}",
                          "body", "Hi {{firstName|there}}, just bumping this up.\n\nSam"))));
      long campaignId = campaign.get("id").asLong();

      say("3/5 adding three leads");
      List<Map<String, Object>> leads = new ArrayList<>();
      leads.add(lead(LEADS.get(0), "Ada", "Lovelace", "Analytical Engines"));
      leads.add(lead(LEADS.get(1), "Grace", "Hopper", "Navy"));
      leads.add(lead(LEADS.get(2), null, "Turing", null));
      JsonNode added = post(base + "/campaigns/" + campaignId + "/leads", leads);
      say("   accepted " + added.get("accepted") + ", rejected " + added.get("rejected"));

      say("4/5 starting the campaign");
      post(base + "/campaigns/" + campaignId + "/start", null);

      say("5/5 watching the leads and their inboxes (IMAP localhost:" + stack.imapPort() + ")");
      long deadline = System.currentTimeMillis() + 120_000;
      Map<String, String> last = new LinkedHashMap<>();
      while (System.currentTimeMillis() < deadline) {
        JsonNode page = get(base + "/campaigns/" + campaignId + "/leads?size=50");
        Map<String, String> now = new LinkedHashMap<>();
        boolean allDone = true;
        for (JsonNode item : page.get("items")) {
          String email = item.get("email").asString();
          String status = item.get("status").asString();
          now.put(
              email,
              status
                  + " (step "
                  + item.get("currentStep").asInt()
                  + ", inbox "
                  + inbox(email).size()
                  + ")");
          allDone &= !status.equals("PENDING") && !status.equals("ACTIVE");
        }
        if (!now.equals(last)) {
          now.forEach((email, state) -> say("   " + email + ": " + state));
          last = now;
        }
        if (allDone && !now.isEmpty()) {
          break;
        }
        Thread.sleep(1_000);
      }
      for (String email : LEADS) {
        for (String subject : inbox(email)) {
          say("   " + email + " received: " + subject);
        }
      }
      say(
          "done. Try: curl -H 'Authorization: Bearer "
              + properties.apiKey()
              + "' "
              + base
              + "/campaigns/"
              + campaignId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.error("The demo failed: {}", e.toString(), e);
    }
  }

  private static Map<String, Object> lead(String email, String first, String last, String company) {
    Map<String, Object> lead = new LinkedHashMap<>();
    lead.put("email", email);
    lead.put("firstName", first);
    lead.put("lastName", last);
    lead.put("company", company);
    lead.put("timezone", "Europe/London");
    return lead;
  }

  /** The subjects in {@code address}'s inbox, read over IMAP like any mail client would. */
  List<String> inbox(String address) throws MessagingException {
    Properties props = new Properties();
    props.put("mail.imap.connectiontimeout", "5000");
    props.put("mail.imap.timeout", "5000");
    Session session = Session.getInstance(props);
    try (Store store = session.getStore("imap")) {
      store.connect("localhost", stack.imapPort(), address, "any");
      Folder inbox = store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      try {
        List<String> subjects = new ArrayList<>();
        for (Message message : inbox.getMessages()) {
          subjects.add(message.getSubject());
        }
        return subjects;
      } finally {
        inbox.close(false);
      }
    }
  }

  private JsonNode post(String url, Object body) throws IOException, InterruptedException {
    HttpRequest request =
        authorized(url)
            .header("Content-Type", "application/json")
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build();
    return send(request);
  }

  private JsonNode get(String url) throws IOException, InterruptedException {
    return send(authorized(url).GET().build());
  }

  private HttpRequest.Builder authorized(String url) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + properties.apiKey());
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          request.method()
              + " "
              + request.uri()
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
  }

  private static void say(String line) {
    log.info("[demo] {}", line);
  }
}
