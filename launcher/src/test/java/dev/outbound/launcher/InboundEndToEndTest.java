package dev.outbound.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * What comes back, on the embedded stack with the default settings, driven only as a lead and an
 * operator would: the lead's reply is sent over SMTP to the campaign's mailbox and the inbox
 * watcher (a workflow reading IMAP) stops the lead; a delivery status notification ends a lead
 * {@code BOUNCED}; the {@code List-Unsubscribe} URL taken from a received email unsubscribes.
 *
 * <p>It also measures, over {@code -Doutbound.inbound.tries} leads (5 in {@code verify}; the
 * figures in docs/benchmarks.md come from 100), the time from a reply arriving at the mailbox and
 * from an unsubscribe POST to the lead's final status in the API, and prints the median and the
 * worst.
 */
@Tag("slow")
class InboundEndToEndTest {

  private static final int TRIES = Integer.getInteger("outbound.inbound.tries", 5);
  private static final String MAILBOX = "replies@agency.test";

  private static ConfigurableApplicationContext app;
  private static EmbeddedStack stack;
  private static ApiCalls api;
  private static final HttpClient http = HttpClient.newHttpClient();
  private static long mailbox;

  @BeforeAll
  static void startTheSystem() throws Exception {
    int port = ApiCalls.freePort();
    app =
        LauncherApplication.builder()
            .run(
                "--server.port=" + port,
                "--outbound.unsubscribe.base-url=http://localhost:" + port,
                "--outbound.dev.temporal-port=" + ApiCalls.freePort(),
                "--outbound.dev.postgres-port=" + ApiCalls.freePort(),
                "--outbound.dev.smtp-port=" + ApiCalls.freePort(),
                "--outbound.dev.imap-port=" + ApiCalls.freePort(),
                "--outbound.dev.api-key=inbound-key",
                // The latency loops poll a lead every 50 ms; the rate limit has its own test.
                "--outbound.api.rate-limit.enabled=false");
    stack = app.getBean(EmbeddedStack.class);
    api = new ApiCalls("http://localhost:" + port + "/api/v1", "inbound-key");
    mailbox =
        api.post(
                "/mailboxes",
                Map.of(
                    "email",
                    MAILBOX,
                    "displayName",
                    "Sam Sender",
                    "smtp",
                    Map.of("host", "localhost", "port", stack.smtpPort(), "tls", false),
                    "imap",
                    Map.of(
                        "host",
                        "localhost",
                        "port",
                        stack.imapPort(),
                        "username",
                        MAILBOX,
                        "password",
                        "x",
                        "tls",
                        false),
                    "dailyCap",
                    5_000,
                    "minGapSeconds",
                    0),
                201)
            .get("id")
            .asLong();
  }

  @AfterAll
  static void stopTheSystem() {
    if (app != null) {
      app.close();
    }
  }

  /** A started campaign whose step 2 follows {@code followUp} after step 1; returns lead IDs. */
  private static List<Long> campaignWith(List<String> emails, String followUp) throws Exception {
    long campaign =
        api.post(
                "/campaigns",
                Map.of(
                    "name",
                    "Inbound",
                    "timezone",
                    "Europe/Berlin",
                    "mailboxIds",
                    List.of(mailbox),
                    "steps",
                    List.of(
                        Map.of("delay", "PT0S", "subject", "Quick question", "body", "Hi"),
                        Map.of("delay", followUp, "subject", "", "body", "Following up"))),
                201)
            .get("id")
            .asLong();
    List<Map<String, String>> leads = emails.stream().map(e -> Map.of("email", e)).toList();
    api.post("/campaigns/" + campaign + "/leads", leads, 200);
    api.post("/campaigns/" + campaign + "/start", null, 202);
    Map<String, Long> byEmail = new java.util.HashMap<>();
    for (JsonNode item : api.get("/campaigns/" + campaign + "/leads?size=500").get("items")) {
      byEmail.put(item.get("email").asString(), item.get("id").asLong());
    }
    return emails.stream().map(byEmail::get).toList();
  }

  private static List<String> emails(String prefix, int count) {
    List<String> emails = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      emails.add(prefix + i + "-" + System.nanoTime() + "@client.test");
    }
    return emails;
  }

  /**
   * The emails {@code email} received so far, waiting up to 60 s for at least {@code count} (0:
   * what arrived until now, without waiting).
   */
  private static List<MimeMessage> received(String email, int count) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      List<MimeMessage> found = new ArrayList<>();
      for (MimeMessage m : stack.greenMail().getReceivedMessages()) {
        if (Arrays.toString(m.getRecipients(Message.RecipientType.TO)).contains(email)) {
          found.add(m);
        }
      }
      if (found.size() >= count || System.nanoTime() > until) {
        return found;
      }
      Thread.sleep(100);
    }
  }

  /** Sends {@code raw} over SMTP to the campaign's mailbox, as a lead's mail server would. */
  private static void sendToMailbox(String raw) throws Exception {
    Properties props = new Properties();
    props.put("mail.smtp.host", "localhost");
    props.put("mail.smtp.port", Integer.toString(stack.smtpPort()));
    Session session = Session.getInstance(props);
    MimeMessage message =
        new MimeMessage(session, new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    Transport.send(message, new InternetAddress[] {new InternetAddress(MAILBOX)});
  }

  private static String reply(String from, MimeMessage step) throws Exception {
    return "From: <"
        + from
        + ">\r\nTo: <"
        + MAILBOX
        + ">\r\nSubject: Re: "
        + step.getSubject()
        + "\r\nMessage-ID: <reply-"
        + System.nanoTime()
        + "@client.test>\r\nIn-Reply-To: "
        + step.getMessageID()
        + "\r\nReferences: "
        + step.getMessageID()
        + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
        + "Thanks, this sounds useful. Can you call me on Thursday?\r\n";
  }

  /** Milliseconds until the lead's status is {@code status}, polling the API every 50 ms. */
  private static long millisUntil(long lead, String status, long since) throws Exception {
    long until = since + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < until) {
      if (api.get("/leads/" + lead).get("status").asString().equals(status)) {
        return (System.nanoTime() - since) / 1_000_000;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("lead " + lead + " did not become " + status + " within 60 s");
  }

  @Test
  void aReplyFromTheLeadsInboxStopsTheLeadWithinTenSecondsAndNothingMoreIsSent() throws Exception {
    List<String> emails = emails("reply", TRIES);
    // Step 2 falls due after every reply had time to arrive (replies go one after the other, about
    // a poll interval apart): a lead the reply did not stop would get it then.
    Duration followUp = Duration.ofSeconds(Math.max(30, TRIES * 8L));
    long started = System.nanoTime();
    List<Long> leads = campaignWith(emails, followUp.toString());
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < emails.size(); i++) {
      MimeMessage step1 = received(emails.get(i), 1).get(0);
      long sent = System.nanoTime();
      sendToMailbox(reply(emails.get(i), step1));
      latencies.add(millisUntil(leads.get(i), "REPLIED", sent));
    }
    report("reply arrives -> REPLIED", latencies);
    assertThat(Collections.max(latencies)).as("worst reply latency, ms").isLessThan(10_000);

    JsonNode lead = api.get("/leads/" + leads.get(0));
    assertThat(lead.get("timeline").toString()).contains("REPLY_RECEIVED").contains("Re: Quick");
    // Past the follow-up's due time: nobody who replied got step 2.
    long waited = (System.nanoTime() - started) / 1_000_000;
    Thread.sleep(Math.max(0, followUp.toMillis() + 3_000 - waited));
    for (String email : emails) {
      assertThat(received(email, 0)).as(email).hasSize(1);
    }
  }

  @Test
  void aDeliveryStatusNotificationEndsTheLeadBouncedAndSuppressesItsAddress() throws Exception {
    String email = emails("bounce", 1).get(0);
    long lead = campaignWith(List.of(email), "PT1H").get(0);
    MimeMessage step1 = received(email, 1).get(0);

    sendToMailbox(
        "From: Mail Delivery System <mailer-daemon@mx.client.test>\r\n"
            + "To: <"
            + MAILBOX
            + ">\r\nSubject: Undelivered Mail Returned to Sender\r\n"
            + "Message-ID: <dsn-"
            + System.nanoTime()
            + "@mx.client.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n"
            + "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
            + "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
            + "Reporting-MTA: dns; mx.client.test\r\n\r\n"
            + "Final-Recipient: rfc822; "
            + email
            + "\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            + "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
            + "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            + "Message-ID: "
            + step1.getMessageID()
            + "\r\nTo: "
            + email
            + "\r\n\r\n--b1--\r\n");

    millisUntil(lead, "BOUNCED", System.nanoTime());
    JsonNode suppressions = api.get("/suppressions?size=500");
    assertThat(suppressions.toString())
        .contains(email.toLowerCase(Locale.ROOT))
        .contains("HARD_BOUNCE");
  }

  @Test
  void theListUnsubscribeUrlOfAReceivedEmailUnsubscribesTheLead() throws Exception {
    List<String> emails = emails("unsub", TRIES);
    List<Long> leads = campaignWith(emails, "PT1H");
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < emails.size(); i++) {
      MimeMessage step1 = received(emails.get(i), 1).get(0);
      String header = step1.getHeader("List-Unsubscribe")[0];
      Matcher url = Pattern.compile("<(http[^>]+)>").matcher(header);
      assertThat(url.find()).as(header).isTrue();
      assertThat(step1.getHeader("List-Unsubscribe-Post")[0])
          .isEqualTo("List-Unsubscribe=One-Click");

      long posted = System.nanoTime();
      // As a mail client does it (RFC 8058): no cookies, no API key, just this body.
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url.group(1)))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isBetween(200, 299);
      latencies.add(millisUntil(leads.get(i), "UNSUBSCRIBED", posted));
    }
    report("unsubscribe POST -> UNSUBSCRIBED", latencies);
    assertThat(api.get("/suppressions?size=500").toString())
        .contains(emails.get(0).toLowerCase(Locale.ROOT));
  }

  private static void report(String what, List<Long> millis) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    long median = sorted.get(sorted.size() / 2);
    System.out.printf(
        "INBOUND LATENCY %s over %d tries: median %d ms, worst %d ms%n",
        what, sorted.size(), median, sorted.get(sorted.size() - 1));
  }
}
