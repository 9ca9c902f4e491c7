package dev.outbound.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.outbound.activities.ActivitiesTestApp;
import dev.outbound.activities.TestData;
import dev.outbound.activities.alerts.AlertProperties;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.activities.alerts.OperatorAlerts;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.admin.LeadChangeStore;
import dev.outbound.crm.admin.MailboxStore;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.suppression.Unsubscriptions;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The decisions of {@link InboundProcessor} on a real database, without workflows: what is written
 * (statuses, suppressions, ledger, the timeline) and which signals are queued in the outbox. Alerts
 * go to a local webhook that records them.
 */
@SpringBootTest(classes = ActivitiesTestApp.class)
@Tag("slow")
class InboundProcessorTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired JdbcClient jdbc;
  @Autowired CredentialCipher cipher;
  @Autowired InboundClassifier classifier;
  @Autowired InboundStore store;
  @Autowired LeadChangeStore leads;
  @Autowired TimelineStore timeline;
  @Autowired SuppressionStore suppressions;
  @Autowired Unsubscriptions unsubscriptions;
  @Autowired UnsubscribeTokens tokens;
  @Autowired LeadSignalOutbox outbox;
  @Autowired MailboxStore mailboxes;
  @Autowired TransactionTemplate transactions;

  private HttpServer webhook;
  private final List<String> alerts = new CopyOnWriteArrayList<>();
  private OperatorAlerts operatorAlerts;
  private InboundProcessor processor;
  private TestData data;
  private long client;
  private long mailbox;
  private long campaign;
  private InboundStore.Inbox inbox;
  private final AtomicLong uid = new AtomicLong();

  @BeforeEach
  void setUp() throws IOException {
    webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhook.createContext(
        "/alerts",
        exchange -> {
          alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    webhook.start();
    operatorAlerts =
        new OperatorAlerts(
            new AlertProperties(
                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts",
                "test",
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                1,
                Duration.ofMillis(10),
                100));
    processor = processor(WatchProperties.defaults());
    data = new TestData(jdbc, cipher);
    client = data.client("decisions");
    mailbox = data.mailbox(client, "sales@acme.test", "Sam", 2525);
    campaign = data.campaign(client, "ACTIVE", mailbox);
    data.step(client, campaign, 1, 0, "Hello", "Hi");
    inbox =
        new InboundStore.Inbox(
            client, mailbox, "sales@acme.test", "127.0.0.1", 3143, "u", null, false, "ACTIVE");
  }

  @AfterEach
  void tearDown() {
    operatorAlerts.close();
    webhook.stop(0);
  }

  private InboundProcessor processor(WatchProperties settings) {
    return new InboundProcessor(
        classifier,
        store,
        leads,
        timeline,
        suppressions,
        unsubscriptions,
        tokens,
        outbox,
        new MailboxPauses(mailboxes, operatorAlerts),
        settings,
        transactions);
  }

  /** A lead of the campaign whose step 1 went out from the mailbox; returns the enrolment. */
  private long mailed(String email) {
    return mailed(client, campaign, mailbox, email);
  }

  private long mailed(long clientId, long campaignId, long mailboxId, String email) {
    long person = data.lead(clientId, email, "Ada", "Client", "{}");
    long enrolment = data.enrolment(clientId, campaignId, person, "ACTIVE");
    jdbc.sql(
            "update enrolments set mailbox_id = :m, current_step = 1, started_at = now() where id = :id")
        .param("m", mailboxId)
        .param("id", enrolment)
        .update();
    data.ledgerRow(clientId, campaignId, enrolment, 1, mailboxId, "SENT");
    jdbc.sql("update send_ledger set sent_at = now() where enrolment_id = :id")
        .param("id", enrolment)
        .update();
    return enrolment;
  }

  private String messageIdOf(long enrolment) {
    return jdbc.sql("select message_id from send_ledger where enrolment_id = :id")
        .param("id", enrolment)
        .query(String.class)
        .single();
  }

  private InboundProcessor.Outcome receive(String raw) {
    return receive(processor, raw);
  }

  private InboundProcessor.Outcome receive(InboundProcessor with, String raw) {
    return with.process(
        inbox,
        7,
        new InboxBatch.Message(
            uid.incrementAndGet(), raw.getBytes(StandardCharsets.UTF_8), Instant.now(), false));
  }

  private static String reply(String from, String inReplyTo, String body) {
    return "From: <"
        + from
        + ">\r\nTo: sales@acme.test\r\nSubject: Re: Hello\r\nMessage-ID: <r"
        + System.nanoTime()
        + "@client.test>\r\n"
        + (inReplyTo == null ? "" : "In-Reply-To: " + inReplyTo + "\r\n")
        + "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
        + body
        + "\r\n";
  }

  private List<String> signals(long enrolment) {
    return jdbc.sql("select signal from lead_signals where enrolment_id = :id order by id")
        .param("id", enrolment)
        .query(String.class)
        .list();
  }

  private String status(long enrolment) {
    return data.status(enrolment);
  }

  @Test
  void aReplyWithoutThreadHeadersMatchesByTheSenderAmongThisMailboxsLeads() {
    long ada = mailed("ada@client.test");

    InboundProcessor.Outcome outcome =
        receive(reply("ADA@client.test", null, "Yes, let's talk next week."));

    assertThat(outcome.acted()).isTrue();
    assertThat(status(ada)).isEqualTo("REPLIED");
    assertThat(signals(ada)).containsExactly("REPLIED");
    assertThat(
            jdbc.sql("select matched_by from inbound_messages where enrolment_id = :id")
                .param("id", ada)
                .query(String.class)
                .single())
        .isEqualTo("SENDER");
  }

  @Test
  void anotherClientsMessageIdMatchesNothing() {
    long otherClient = data.client("other");
    long otherMailbox = data.mailbox(otherClient, "sales@other.test", "O", 2525);
    long otherCampaign = data.campaign(otherClient, "ACTIVE", otherMailbox);
    long victim = mailed(otherClient, otherCampaign, otherMailbox, "victim@client.test");

    InboundProcessor.Outcome outcome =
        receive(reply("stranger@evil.test", messageIdOf(victim), "Stop this."));

    assertThat(outcome.acted()).isFalse();
    assertThat(status(victim)).isEqualTo("ACTIVE");
    assertThat(signals(victim)).isEmpty();
  }

  @Test
  void aReplyThatAsksToBeLeftAloneUnsubscribesThePerson() {
    long ben = mailed("ben@client.test");

    receive(reply("ben@client.test", messageIdOf(ben), "Please remove me from your list."));

    assertThat(status(ben)).isEqualTo("UNSUBSCRIBED");
    assertThat(signals(ben)).containsExactly("UNSUBSCRIBED");
    assertThat(suppressions.isSuppressed(client, "ben@client.test")).isTrue();
  }

  @Test
  void withStopCompanyOnReplyTheColleaguesAtTheSameDomainStopButNotFreeMailOrOthers() {
    jdbc.sql("update campaigns set stop_company_on_reply = true where id = :id")
        .param("id", campaign)
        .update();
    long ann = mailed("ann@bigco.test");
    long ben = mailed("ben@BigCo.test");
    long cat = mailed("cat@other.test");
    long gina = mailed("gina@gmail.com");
    long hugo = mailed("hugo@gmail.com");

    receive(reply("ann@bigco.test", messageIdOf(ann), "Interesting, call me."));
    receive(reply("gina@gmail.com", messageIdOf(gina), "Interesting, call me."));

    assertThat(status(ann)).isEqualTo("REPLIED");
    assertThat(status(ben)).isEqualTo("STOPPED");
    assertThat(signals(ben)).containsExactly("CAMPAIGN_STOPPED");
    assertThat(status(cat)).isEqualTo("ACTIVE");
    assertThat(status(hugo)).as("free mail is not a company").isEqualTo("ACTIVE");
  }

  @Test
  void softBouncesEndTheLeadBouncedAtTheLimit() {
    long dora = mailed("dora@client.test");
    String id = messageIdOf(dora);

    receive(
        InboxWatchingTest.dsn("dora@client.test", id, "4.2.2")
            .replace("Action: failed", "Action: delayed"));
    receive(
        InboxWatchingTest.dsn("dora@client.test", id, "4.2.2")
            .replace("Action: failed", "Action: delayed"));
    assertThat(status(dora)).isEqualTo("ACTIVE");
    assertThat(suppressions.isSuppressed(client, "dora@client.test")).isFalse();

    receive(
        InboxWatchingTest.dsn("dora@client.test", id, "4.2.2")
            .replace("Action: failed", "Action: delayed"));

    assertThat(status(dora)).isEqualTo("BOUNCED");
    assertThat(signals(dora)).containsExactly("BOUNCED");
    assertThat(store.kindsFor(client, dora)).containsOnly("SOFT_BOUNCE").hasSize(3);
  }

  @Test
  void aMailboxWhoseHardBouncesPassTheThresholdIsPausedAndOperatorsAreTold() throws Exception {
    List<Long> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(mailed("lead" + i + "@client.test"));
    }

    receive(InboxWatchingTest.dsn("lead0@client.test", messageIdOf(sent.get(0)), "5.1.1"));
    assertThat(mailboxes.find(client, mailbox).orElseThrow().status())
        .as("1 of 20 is 5 %%, not above it")
        .isEqualTo("ACTIVE");

    receive(InboxWatchingTest.dsn("lead1@client.test", messageIdOf(sent.get(1)), "5.1.1"));

    MailboxStore.Mailbox paused = mailboxes.find(client, mailbox).orElseThrow();
    assertThat(paused.status()).isEqualTo("PAUSED");
    assertThat(paused.pausedReason()).isEqualTo("too many bounces");
    waitForAlerts(2);
    assertThat(alerts).anyMatch(a -> a.contains("Mailbox " + mailbox) && a.contains("bounces"));
    assertThat(alerts)
        .anyMatch(a -> a.contains("Campaign " + campaign) && a.contains("ALL_MAILBOXES_PAUSED"));

    // A third bounce finds it paused already: no second alert.
    receive(InboxWatchingTest.dsn("lead2@client.test", messageIdOf(sent.get(2)), "5.1.1"));
    Thread.sleep(300);
    assertThat(alerts).hasSize(2);
  }

  @Test
  void anEmailToTheMailtoUnsubscribeAddressUnsubscribesWithAGenuineTokenOnly() {
    long eve = mailed("eve@client.test");
    String genuine = tokens.headers(client, eve, "sales@acme.test").listUnsubscribe();
    String address =
        genuine.substring(
            genuine.indexOf("mailto:") + 7, genuine.indexOf('?', genuine.indexOf("mailto:")));
    long otherClient = data.client("forger");
    String forged = address.replaceFirst("\\+[^@]+@", "+" + tokens.issue(otherClient, eve) + "@");

    receive(
        "From: <eve@client.test>\r\nTo: <"
            + forged
            + ">\r\nSubject: unsubscribe\r\nMessage-ID: <u1@client.test>\r\n\r\n\r\n");
    assertThat(status(eve)).isEqualTo("ACTIVE");

    receive(
        "From: <eve@client.test>\r\nTo: <"
            + address
            + ">\r\nSubject: unsubscribe\r\nMessage-ID: <u2@client.test>\r\n\r\n\r\n");

    assertThat(status(eve)).isEqualTo("UNSUBSCRIBED");
    assertThat(signals(eve)).containsExactly("UNSUBSCRIBED");
    assertThat(suppressions.isSuppressed(client, "eve@client.test")).isTrue();
  }

  @Test
  void theSameMessageReadTwiceIsProcessedOnce() {
    long finn = mailed("finn@client.test");
    String raw = reply("finn@client.test", messageIdOf(finn), "Sure, Tuesday works.");
    InboxBatch.Message message =
        new InboxBatch.Message(99, raw.getBytes(StandardCharsets.UTF_8), Instant.now(), false);

    assertThat(processor.process(inbox, 7, message).acted()).isTrue();
    // Read again after the server reassigned UIDs: same Message-ID, new UID and UIDVALIDITY.
    InboxBatch.Message again =
        new InboxBatch.Message(3, raw.getBytes(StandardCharsets.UTF_8), Instant.now(), false);
    assertThat(processor.process(inbox, 8, again).kind()).isEqualTo("SEEN");

    assertThat(signals(finn)).containsExactly("REPLIED");
    assertThat(store.kindsFor(client, finn)).containsExactly("REPLY");
    assertThat(store.cursor(client, mailbox)).contains(new InboundStore.Cursor(8, 3));
  }

  private void waitForAlerts(int count) throws InterruptedException {
    long until = System.nanoTime() + 10_000_000_000L;
    while (alerts.size() < count && System.nanoTime() < until) {
      Thread.sleep(20);
    }
  }
}
