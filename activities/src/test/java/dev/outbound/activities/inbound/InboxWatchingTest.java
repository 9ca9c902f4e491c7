package dev.outbound.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.outbound.activities.ActivitiesTestApp;
import dev.outbound.activities.ServerClock;
import dev.outbound.activities.TestData;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.activities.lead.LeadActivitiesImpl;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.activities.send.RecordingSend;
import dev.outbound.activities.send.SendActivitiesBuilder;
import dev.outbound.activities.send.SendActivitiesImpl;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.capacity.MailboxCapacityStore;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.LeadSignalOutbox;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.workflows.InboxSession;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.LeadSequenceWorkflowImpl;
import dev.outbound.workflows.TaskQueues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What comes back to a mailbox, end to end below the HTTP API: lead sequences run on the Temporal
 * test server with the real send and CRM activities, GreenMail takes the emails over SMTP and holds
 * the mailbox's INBOX over IMAP, and the inbox activity reads it. A reply to a received step ends
 * the lead {@code REPLIED} and nothing more is sent; a delivery status notification ends it {@code
 * BOUNCED} and suppresses the address; an out-of-office with a return date moves the next step past
 * that date (time-skipping), and the sequence then goes on.
 */
@SpringBootTest(classes = ActivitiesTestApp.class)
@Timeout(120)
@Tag("slow")
class InboxWatchingTest {

  private static final String MAILBOX = "sales@acme.test";
  private static final String PASSWORD = "imap-secret";

  @RegisterExtension
  static final GreenMailExtension greenMail =
      new GreenMailExtension(
          new ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort()
          });

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired JdbcClient jdbc;
  @Autowired ApplicationContext spring;
  @Autowired CredentialCipher cipher;
  @Autowired SendLedgerStore ledger;
  @Autowired EnrolmentStore enrolments;
  @Autowired TimelineStore timeline;
  @Autowired MailboxCapacityStore capacity;
  @Autowired SuppressionStore suppressions;
  @Autowired InboundStore inboundStore;
  @Autowired ImapInbox imap;
  @Autowired InboundProcessor processor;
  @Autowired LeadSignalOutbox outbox;
  @Autowired MailboxPauses pauses;
  @Autowired WatchProperties settings;
  @Autowired dev.outbound.vocabulary.network.HostPolicy hosts;

  private TestWorkflowEnvironment env;
  private TestData data;
  private InboxActivitiesImpl inbox;
  private GreenMailUser mailboxUser;
  private long client;
  private long mailbox;
  private long campaign;
  private final List<Instant> sentAt = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  /**
   * A campaign of three steps a day apart, its mailbox read over IMAP, the server at {@code now}.
   */
  private void start(Instant now) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setInitialTime(now).build());
    ActivitiesTestApp.registerSearchAttributes(env);
    Clock serverTime = new ServerClock(env::currentTimeMillis);
    data = new TestData(jdbc, cipher);
    client = data.client("inbound");
    mailbox = data.mailbox(client, MAILBOX, "Sam", greenMail.getSmtp().getPort());
    jdbc.sql(
            "update mailboxes set imap_host = '127.0.0.1', imap_port = :port, imap_username ="
                + " :user, imap_password_enc = :password where id = :id")
        .param("port", greenMail.getImap().getPort())
        .param("user", MAILBOX)
        .param("password", cipher.encrypt(PASSWORD))
        .param("id", mailbox)
        .update();
    mailboxUser = greenMail.setUser(MAILBOX, MAILBOX, PASSWORD);
    campaign = data.campaign(client, "ACTIVE", mailbox);
    data.step(client, campaign, 1, 0, "Quick question, {{firstName}}", "Hi {{firstName}}");
    data.step(client, campaign, 2, 86_400, "", "Following up");
    data.step(client, campaign, 3, 86_400, "", "Last one");

    SendActivitiesImpl send = new SendActivitiesBuilder(spring).clock(serverTime).build();
    Worker worker = env.newWorker(TaskQueues.OUTBOUND);
    worker.registerWorkflowImplementationTypes(LeadSequenceWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new RecordingSend(send, serverTime, sentAt),
        new LeadActivitiesImpl(
            enrolments,
            ledger,
            capacity,
            timeline,
            new OutboundMetrics(new SimpleMeterRegistry())));
    env.start();
    inbox =
        new InboxActivitiesImpl(
            inboundStore,
            imap,
            processor,
            new LeadSignalSender(outbox, env.getWorkflowClient()),
            cipher,
            pauses,
            settings,
            hosts);
    // The watcher runs before anything is sent: its first poll marks where the INBOX ends.
    assertThat(inbox.readOnce(client, mailbox).messages()).isZero();
  }

  private record Started(LeadRef lead, LeadSequenceWorkflow workflow, String email) {}

  /** Starts the sequence of a new lead and waits until its first step arrived. */
  private Started lead(String localPart, String zone) throws Exception {
    String email = localPart + "-" + System.nanoTime() + "@client.test";
    long person = data.lead(client, email, "Ada", "Client", "{}");
    jdbc.sql("update leads set timezone = :zone where id = :id")
        .param("zone", zone)
        .param("id", person)
        .update();
    long enrolment = data.enrolment(client, campaign, person, "PENDING");
    LeadRef lead = new LeadRef(client, campaign, enrolment);
    LeadSequenceWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                LeadSequenceWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(lead.workflowId())
                    .setTaskQueue(TaskQueues.OUTBOUND)
                    .build());
    WorkflowClient.start(workflow::run, lead, null);
    receivedBy(email, 1);
    return new Started(lead, workflow, email);
  }

  /** Waits (up to 30 s of real time) until {@code email} has {@code count} messages. */
  private List<MimeMessage> receivedBy(String email, int count) throws InterruptedException {
    long until = System.nanoTime() + 30_000_000_000L;
    while (true) {
      List<MimeMessage> received =
          Arrays.stream(greenMail.getReceivedMessages())
              .filter(m -> recipientIs(m, email))
              .toList();
      if (received.size() >= count || System.nanoTime() > until) {
        return received;
      }
      Thread.sleep(50);
    }
  }

  private static boolean recipientIs(MimeMessage message, String email) {
    try {
      return Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().contains(email));
    } catch (jakarta.mail.MessagingException e) {
      return false;
    }
  }

  private void deliverToMailbox(String raw) throws Exception {
    MimeMessage message =
        new MimeMessage(
            Session.getInstance(new Properties()),
            new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    mailboxUser.deliver(message);
  }

  private String status(LeadRef lead) {
    return data.status(lead.leadId());
  }

  @Test
  void aReplyToAReceivedStepEndsTheLeadRepliedAndNothingMoreIsSent() throws Exception {
    start(Instant.parse("2026-11-23T09:00:00Z"));
    Started ada = lead("ada", "Europe/London");
    MimeMessage step1 = receivedBy(ada.email(), 1).get(0);

    deliverToMailbox(
        "From: Ada Lovelace <"
            + ada.email()
            + ">\r\n"
            + "To: Sam <"
            + MAILBOX
            + ">\r\n"
            + "Subject: Re: "
            + step1.getSubject()
            + "\r\n"
            + "Message-ID: <reply-1@client.test>\r\n"
            + "In-Reply-To: "
            + step1.getMessageID()
            + "\r\n"
            + "References: "
            + step1.getMessageID()
            + "\r\n"
            + "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
            + "Thanks Sam, sounds interesting. Could we talk on Tuesday?\r\n\r\n"
            + "On Mon, 23 Nov 2026 Sam wrote:\r\n> Hi Ada\r\n");

    InboxSession read = inbox.readOnce(client, mailbox);

    assertThat(read.messages()).isEqualTo(1);
    assertThat(read.acted()).isEqualTo(1);
    assertThat(WorkflowStub.fromTyped(ada.workflow()).getResult(LeadStatus.class))
        .isEqualTo(LeadStatus.REPLIED);
    assertThat(status(ada.lead())).isEqualTo("REPLIED");
    assertThat(data.events(ada.lead().leadId()))
        .anyMatch(e -> e.startsWith("REPLY_RECEIVED") && e.contains("Re: Quick question, Ada"));
    assertThat(receivedBy(ada.email(), 2)).as("no step after the reply").hasSize(1);
    assertThat(inboundStore.kindsFor(client, ada.lead().leadId())).containsExactly("REPLY");
    assertThat(
            jdbc.sql("select matched_by from inbound_messages where enrolment_id = :id")
                .param("id", ada.lead().leadId())
                .query(String.class)
                .single())
        .isEqualTo("MESSAGE_ID");
    // Read again: the message is not processed twice.
    assertThat(inbox.readOnce(client, mailbox).messages()).isZero();
    assertThat(outboxPending()).isZero();
  }

  @Test
  void aDeliveryStatusNotificationEndsTheLeadBouncedAndSuppressesTheAddress() throws Exception {
    start(Instant.parse("2026-11-23T09:00:00Z"));
    Started bob = lead("bob", "Europe/London");
    MimeMessage step1 = receivedBy(bob.email(), 1).get(0);

    deliverToMailbox(dsn(bob.email(), step1.getMessageID(), "5.1.1"));
    InboxSession read = inbox.readOnce(client, mailbox);

    assertThat(read.acted()).isEqualTo(1);
    assertThat(WorkflowStub.fromTyped(bob.workflow()).getResult(LeadStatus.class))
        .isEqualTo(LeadStatus.BOUNCED);
    assertThat(status(bob.lead())).isEqualTo("BOUNCED");
    assertThat(suppressions.find(client, SuppressionStore.Kind.ADDRESS, bob.email()))
        .hasValueSatisfying(
            s -> assertThat(s.reason()).isEqualTo(SuppressionStore.Reason.HARD_BOUNCE));
    assertThat(
            jdbc.sql(
                    "select bounce_type from send_ledger where enrolment_id = :id"
                        + " and step_index = 1")
                .param("id", bob.lead().leadId())
                .query(String.class)
                .single())
        .isEqualTo("HARD");
    assertThat(receivedBy(bob.email(), 2)).hasSize(1);
  }

  @Test
  void anOutOfOfficeWithAReturnDateHoldsTheLeadUntilThenAndTheSequenceGoesOn() throws Exception {
    // Tuesday 1 December 2026; step 2 would be due on the 2nd.
    start(Instant.parse("2026-12-01T09:00:00Z"));
    Started cleo = lead("cleo", "Europe/London");
    MimeMessage step1 = receivedBy(cleo.email(), 1).get(0);

    deliverToMailbox(
        "From: Cleo <"
            + cleo.email()
            + ">\r\n"
            + "To: "
            + MAILBOX
            + "\r\n"
            + "Subject: Automatic reply: "
            + step1.getSubject()
            + "\r\n"
            + "Message-ID: <ooo-1@client.test>\r\n"
            + "In-Reply-To: "
            + step1.getMessageID()
            + "\r\n"
            + "Date: Tue, 1 Dec 2026 09:00:05 +0000\r\n"
            + "Auto-Submitted: auto-replied\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
            + "Thank you for your email. I am out of the office until Friday 11 December 2026"
            + " with limited access to email.\r\n");
    InboxSession read = inbox.readOnce(client, mailbox);

    assertThat(read.acted()).isEqualTo(1);
    assertThat(status(cleo.lead())).isEqualTo("ACTIVE");
    // The test server skips time while the result is awaited: steps 2 and 3 go out after the
    // return date plus one grace day (12 December, 00:00 in London), then a day apart.
    assertThat(WorkflowStub.fromTyped(cleo.workflow()).getResult(LeadStatus.class))
        .isEqualTo(LeadStatus.COMPLETED);
    assertThat(sentAt).hasSize(3);
    Instant notBefore =
        LocalDate.of(2026, 12, 12).atStartOfDay(ZoneId.of("Europe/London")).toInstant();
    assertThat(sentAt.get(0)).isBefore(Instant.parse("2026-12-01T09:01:00Z"));
    assertThat(sentAt.get(1)).isAfterOrEqualTo(notBefore);
    assertThat(sentAt.get(1)).isBefore(notBefore.plusSeconds(3_600));
    assertThat(sentAt.get(2)).isAfterOrEqualTo(sentAt.get(1).plusSeconds(86_400));
    assertThat(data.events(cleo.lead().leadId()))
        .anyMatch(e -> e.startsWith("OUT_OF_OFFICE") && e.contains("2026-12-11"));
  }

  private int outboxPending() {
    return jdbc.sql("select count(*) from lead_signals where client_id = :c and sent_at is null")
        .param("c", client)
        .query(Integer.class)
        .single();
  }

  /** An RFC 3464 delivery status notification for {@code recipient}'s email {@code messageId}. */
  static String dsn(String recipient, String messageId, String status) {
    String boundary = "dsn-boundary-1";
    return "From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>\r\n"
        + "To: "
        + MAILBOX
        + "\r\n"
        + "Subject: Undelivered Mail Returned to Sender\r\n"
        + "Message-ID: <dsn-"
        + System.nanoTime()
        + "@mx.acme.test>\r\n"
        + "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
        + "Auto-Submitted: auto-replied\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\""
        + boundary
        + "\"\r\n\r\n"
        + "--"
        + boundary
        + "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
        + "Your message could not be delivered to one or more recipients.\r\n\r\n"
        + "--"
        + boundary
        + "\r\nContent-Type: message/delivery-status\r\n\r\n"
        + "Reporting-MTA: dns; mx.acme.test\r\n\r\n"
        + "Final-Recipient: rfc822; "
        + recipient
        + "\r\nAction: failed\r\nStatus: "
        + status
        + "\r\nDiagnostic-Code: smtp; 550 "
        + status
        + " User unknown\r\n\r\n"
        + "--"
        + boundary
        + "\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        + "From: Sam <"
        + MAILBOX
        + ">\r\nTo: "
        + recipient
        + "\r\nSubject: Quick question\r\nMessage-ID: "
        + messageId
        + "\r\n\r\n--"
        + boundary
        + "--\r\n";
  }
}
