package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.outbound.activities.ActivitiesTestApp;
import dev.outbound.activities.TestData;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.crm.sequence.SendContextStore;
import dev.outbound.crm.sequence.SendLedgerStore;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.testing.TestDatabase;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import dev.outbound.workflows.FailureType;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.PlannedStep;
import dev.outbound.workflows.SendActivities;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The send activity against a real SMTP server (GreenMail, or a fake one on a real socket for
 * replies GreenMail cannot give) and a real PostgreSQL.
 */
@SpringBootTest(classes = ActivitiesTestApp.class)
@Tag("slow")
class SendActivitiesTest {

  private static final String LEAD_EMAIL = "ada@example.test";

  @RegisterExtension
  static final GreenMailExtension greenMail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    TestDatabase.register(registry);
  }

  @Autowired
  @Qualifier("sendActivities")
  SendActivities send;

  @Autowired JdbcClient jdbc;
  @Autowired CredentialCipher cipher;
  @Autowired SendLedgerStore ledger;
  @Autowired UnsubscribeTokens tokens;
  @Autowired SuppressionStore suppressions;
  @Autowired ApplicationContext spring;

  TestData data;
  long client;
  long mailbox;
  long campaign;
  long enrolment;
  LeadRef lead;

  @BeforeEach
  void campaignWithOneLead() {
    data = new TestData(jdbc, cipher);
    client = data.client("acme");
    mailbox = data.mailbox(client, "sales@acme.test", "Sam Sales", greenMail.getSmtp().getPort());
    campaign = data.campaign(client, "ACTIVE", mailbox);
    data.step(client, campaign, 1, 0, "Hello {{firstName}} at {{company}}", body());
    data.step(client, campaign, 2, 86400, "", "Following up, {{firstName}}.");
    data.step(client, campaign, 3, 86400, "Last one", "Hi {{fields.nickname}}");
    long person = data.lead(client, LEAD_EMAIL, "Ada", "Engines & <Co>", "{\"role\": \"CTO\"}");
    enrolment = data.enrolment(client, campaign, person, "ACTIVE");
    lead = new LeadRef(client, campaign, enrolment);
  }

  private static String body() {
    return "Hi {{firstName}},\nas {{fields.role}} ({{role}}) at {{company}} you know.\nBye";
  }

  private String messageId(int step) {
    return "<outbound.c" + campaign + ".l" + enrolment + ".s" + step + "@acme.test>";
  }

  @Test
  void sendsTheStepOnceWithItsDeterministicMessageIdFromTheAssignedMailbox() throws Exception {
    SendResult result = send.sendStep(lead, 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(result.messageId()).isEqualTo(messageId(1));
    MimeMessage[] received = greenMail.getReceivedMessages();
    assertThat(received).hasSize(1);
    MimeMessage email = received[0];
    assertThat(email.getHeader("Message-ID")).containsExactly(messageId(1));
    InternetAddress from = (InternetAddress) email.getFrom()[0];
    assertThat(from.getAddress()).isEqualTo("sales@acme.test");
    assertThat(from.getPersonal()).isEqualTo("Sam Sales");
    assertThat(email.getAllRecipients()).extracting(Object::toString).containsExactly(LEAD_EMAIL);
    assertThat(email.getSubject()).isEqualTo("Hello Ada at Engines & <Co>");
    assertThat(email.getHeader("In-Reply-To")).isNull();

    MimeMultipart parts = (MimeMultipart) email.getContent();
    assertThat(parts.getContentType()).startsWith("multipart/alternative");
    assertThat(parts.getBodyPart(0).getContent().toString().replace("\r\n", "\n"))
        .startsWith("Hi Ada,\nas CTO (CTO) at Engines & <Co> you know.\nBye\n\n-- \n");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat(parts.getBodyPart(1).getContent().toString())
        .contains("Hi Ada,<br>")
        .contains("at Engines &amp; &lt;Co&gt; you know.<br>")
        .doesNotContain("<Co>");

    assertThat(data.ledgerStatus(enrolment, 1)).isEqualTo("SENT");
    assertThat(data.mailboxOf(enrolment)).isEqualTo(mailbox);
    assertThat(data.column(enrolment, "current_step", Integer.class)).isEqualTo(1);
    assertThat(data.events(enrolment))
        .containsExactly("SENT 1: mailbox " + mailbox + ", Message-ID " + messageId(1));
  }

  @Test
  void aSendThatSchedulesRecordsTheNextStepWithTheSendAndReturnsItsDueTime() {
    long before = System.currentTimeMillis();
    SendResult result = send.sendStepAndSchedule(lead, 1, new PlannedStep(2, 86_400), 3);

    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(result.nextDueAt())
        .isBetween(before + 86_400_000L, System.currentTimeMillis() + 86_400_000L);
    assertThat(data.column(enrolment, "next_send_at", java.time.OffsetDateTime.class).toInstant())
        .isEqualTo(java.time.Instant.ofEpochMilli(result.nextDueAt()));
    assertThat(data.column(enrolment, "status", String.class)).isEqualTo("ACTIVE");
    assertThat(data.column(enrolment, "last_outcome", String.class)).isEqualTo("SCHEDULED step 2");
    assertThat(data.events(enrolment))
        .containsExactly(
            "SENT 1: mailbox " + mailbox + ", Message-ID " + messageId(1),
            "SCHEDULED 2: step 2 due in 86400s");

    // A retry after the commit finds the step sent and answers the due time recorded with it.
    SendResult again = send.sendStepAndSchedule(lead, 1, new PlannedStep(2, 86_400), 3);
    assertThat(again.outcome()).isEqualTo(SendOutcome.ALREADY_SENT);
    assertThat(again.nextDueAt()).isEqualTo(result.nextDueAt());
    assertThat(data.events(enrolment)).hasSize(2);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void theLastSendCompletesTheLeadUnlessAReplyWasRecordedMeanwhile() {
    SendResult last = send.sendStepAndSchedule(lead, 1, null, 1);

    assertThat(last.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(last.nextDueAt()).isNull();
    assertThat(data.column(enrolment, "status", String.class)).isEqualTo("COMPLETED");
    assertThat(data.column(enrolment, "next_send_at", java.time.OffsetDateTime.class)).isNull();
    assertThat(data.events(enrolment)).last().isEqualTo("COMPLETED 1: all 1 steps handled");

    // Another lead whose reply lands while its last email goes out (after the status check): the
    // reply stands and no completion follows it.
    long other =
        data.enrolment(
            client,
            campaign,
            data.lead(client, "grace@example.test", "Grace", "Co", "{}"),
            "ACTIVE");
    LeadRef otherLead = new LeadRef(client, campaign, other);
    ledger.claim(client, campaign, other, 1, mailbox, "<x@acme.test>", "A");
    data.enrolmentStatus(other, "REPLIED");
    assertThat(
            ledger.recordSent(
                client,
                campaign,
                other,
                1,
                "SENT step 1",
                "test",
                new SendLedgerStore.FollowUp(
                    "COMPLETED",
                    null,
                    "COMPLETED step 1",
                    TimelineEvent.COMPLETED,
                    1,
                    "all 1 steps handled")))
        .isTrue();
    assertThat(data.column(other, "status", String.class)).isEqualTo("REPLIED");
    assertThat(data.events(other)).noneMatch(e -> e.startsWith("COMPLETED"));
    assertThat(otherLead.leadId()).isEqualTo(other);
  }

  @Test
  void everyEmailCarriesOneClickUnsubscribeHeadersAndAFooterWithTheLinkAndPostalAddress()
      throws Exception {
    jdbc.sql("update clients set postal_address = :address where id = :id")
        .param("address", "Acme Ltd\n1 Engine Way & Co, Leeds")
        .param("id", client)
        .update();

    assertThat(send.sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.SENT);

    MimeMessage email = greenMail.getReceivedMessages()[0];
    String token = tokens.issue(client, enrolment);
    String url = "https://links.example.test/u/" + token;
    assertThat(email.getHeader("List-Unsubscribe"))
        .containsExactly(
            "<" + url + ">, <mailto:unsubscribe+" + token + "@acme.test?subject=unsubscribe>");
    assertThat(email.getHeader("List-Unsubscribe-Post"))
        .containsExactly("List-Unsubscribe=One-Click");
    assertThat(tokens.verify(token)).contains(new UnsubscribeTokens.Subject(client, enrolment));
    MimeMultipart parts = (MimeMultipart) email.getContent();
    assertThat(parts.getBodyPart(0).getContent().toString().replace("\r\n", "\n"))
        .endsWith(
            "Bye\n\n-- \nTo stop receiving these emails: "
                + url
                + "\nAcme Ltd\n1 Engine Way & Co, Leeds\n");
    assertThat(parts.getBodyPart(1).getContent().toString())
        .contains("<a href=\"" + url + "\">unsubscribe</a>")
        .contains("Acme Ltd<br>")
        .contains("1 Engine Way &amp; Co, Leeds");
  }

  @Test
  void theFooterHasTheLinkAloneWhenTheClientHasNoPostalAddress() throws Exception {
    send.sendStep(lead, 1);

    MimeMultipart parts = (MimeMultipart) greenMail.getReceivedMessages()[0].getContent();
    assertThat(parts.getBodyPart(0).getContent().toString().replace("\r\n", "\n"))
        .endsWith(
            "-- \nTo stop receiving these emails: https://links.example.test/u/"
                + tokens.issue(client, enrolment)
                + "\n");
  }

  @Test
  void aSuppressedAddressEndsTheLeadUnsubscribedWithoutClaimingOrSending() {
    suppressions.add(
        client,
        SuppressionStore.Kind.ADDRESS,
        "ADA@Example.test",
        SuppressionStore.Reason.UNSUBSCRIBED,
        "test");

    SendResult result = send.sendStep(lead, 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.LEAD_STOPPED);
    assertThat(result.leadStatus()).isEqualTo(LeadStatus.UNSUBSCRIBED);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 1)).isNull();
    assertThat(data.column(enrolment, "status", String.class)).isEqualTo("UNSUBSCRIBED");
    assertThat(data.events(enrolment))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("SUPPRESSED 0: the address is on the suppression list (UNSUBSCRIBED");
    // A retry of the same attempt answers the same and records nothing more.
    assertThat(send.sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.LEAD_STOPPED);
    assertThat(data.events(enrolment)).hasSize(1);
  }

  @Test
  void aSuppressedDomainStopsTheLeadToo() {
    suppressions.add(
        client, SuppressionStore.Kind.DOMAIN, "example.test", SuppressionStore.Reason.MANUAL, null);

    SendResult result = send.sendStep(lead, 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.LEAD_STOPPED);
    assertThat(result.leadStatus()).isEqualTo(LeadStatus.UNSUBSCRIBED);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void anotherClientsSuppressionDoesNotStopTheLead() {
    long other = data.client("other");
    suppressions.add(
        other, SuppressionStore.Kind.ADDRESS, LEAD_EMAIL, SuppressionStore.Reason.MANUAL, null);

    assertThat(send.sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.SENT);
  }

  @Test
  void threadsAFollowUpUnderTheEarlierStepsFromTheSameMailbox() throws Exception {
    // A second, unused mailbox in the pool: step 2 must still come from the lead's first mailbox.
    long other = data.mailbox(client, "other@acme.test", "Other", greenMail.getSmtp().getPort());
    jdbc.sql(
            "insert into campaign_mailboxes (client_id, campaign_id, mailbox_id)"
                + " values (:client, :campaign, :mailbox)")
        .param("client", client)
        .param("campaign", campaign)
        .param("mailbox", other)
        .update();

    send.sendStep(lead, 1);
    SendResult second = send.sendStep(lead, 2);

    assertThat(second.outcome()).isEqualTo(SendOutcome.SENT);
    MimeMessage followUp = greenMail.getReceivedMessages()[1];
    assertThat(followUp.getHeader("Message-ID")).containsExactly(messageId(2));
    assertThat(followUp.getHeader("In-Reply-To")).containsExactly(messageId(1));
    assertThat(followUp.getHeader("References")).containsExactly(messageId(1));
    assertThat(followUp.getSubject()).isEqualTo("Re: Hello Ada at Engines & <Co>");
    assertThat(((InternetAddress) followUp.getFrom()[0]).getAddress()).isEqualTo("sales@acme.test");
  }

  @Test
  void sendingTheSameStepTwiceSendsOneEmail() {
    SendResult first = send.sendStep(lead, 1);
    SendResult again = send.sendStep(lead, 1);

    assertThat(again.outcome()).isEqualTo(SendOutcome.ALREADY_SENT);
    assertThat(again.messageId()).isEqualTo(first.messageId());
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aClaimLeftUnfinishedIsFlaggedAmbiguousOnceAndNothingIsSent() {
    data.ledgerRow(client, campaign, enrolment, 1, mailbox, "SENDING");

    SendResult result = send.sendStep(lead, 1);
    SendResult again = send.sendStep(lead, 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.AMBIGUOUS);
    assertThat(again.outcome()).isEqualTo(SendOutcome.AMBIGUOUS);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 1)).isEqualTo("AMBIGUOUS");
    assertThat(data.events(enrolment)).hasSize(1).allMatch(e -> e.startsWith("AMBIGUOUS 1: "));
  }

  @Test
  void sendsNothingToALeadThatAlreadyEnded() {
    data.enrolmentStatus(enrolment, "REPLIED");

    SendResult result = send.sendStep(lead, 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.LEAD_STOPPED);
    assertThat(result.leadStatus()).isEqualTo(LeadStatus.REPLIED);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 1)).isNull();
  }

  @Test
  void sendsNothingWhileTheCampaignIsPausedOrStopped() {
    data.campaignStatus(campaign, "PAUSED");
    assertThat(send.sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.CAMPAIGN_PAUSED);

    data.campaignStatus(campaign, "STOPPED");
    assertThat(send.sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.CAMPAIGN_STOPPED);

    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 1)).isNull();
  }

  @Test
  void holdsTheLeadWhenAVariableHasNoValueAndClaimsNothing() {
    SendResult result = send.sendStep(lead, 3);

    assertThat(result.outcome()).isEqualTo(SendOutcome.HELD);
    assertThat(result.detail()).contains("fields.nickname").doesNotContain(LEAD_EMAIL);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 3)).isNull();
    assertThat(data.mailboxOf(enrolment)).isNull();
  }

  @Test
  void aPermanentRejectionFailsTheStepForGoodWithoutPersonalData() throws Exception {
    try (FakeSmtpServer server =
        new FakeSmtpServer(Map.of("RCPT", "550 5.1.1 <" + LEAD_EMAIL + ">: no such user"))) {
      useServer(server.port());

      assertThatThrownBy(() -> send.sendStep(lead, 1))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.isNonRetryable()).isTrue();
                assertThat(f.getType()).isEqualTo(FailureType.SMTP_PERMANENT.name());
                assertThat(f.getOriginalMessage()).contains("550 5.1.1").doesNotContain(LEAD_EMAIL);
              });
      assertThat(data.ledgerStatus(enrolment, 1)).isEqualTo("FAILED");
      assertThat(data.ledgerError(enrolment, 1)).doesNotContain(LEAD_EMAIL);
      assertThat(data.events(enrolment))
          .hasSize(1)
          .allMatch(e -> e.startsWith("SEND_FAILED 1: SMTP_PERMANENT"))
          .noneMatch(e -> e.contains(LEAD_EMAIL));

      // A retry fails the same way without talking to the server again.
      int before = server.commands().size();
      assertThatThrownBy(() -> send.sendStep(lead, 1))
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> assertThat(f.getType()).isEqualTo(FailureType.SMTP_PERMANENT.name()));
      assertThat(server.commands()).hasSize(before);
      assertThat(server.commands()).doesNotContain("DATA");
    }
  }

  @Test
  void aDeferralReleasesTheClaimForARetry() throws Exception {
    try (FakeSmtpServer server = new FakeSmtpServer(Map.of("RCPT", "451 4.3.0 try again later"))) {
      useServer(server.port());

      assertThatThrownBy(() -> send.sendStep(lead, 1))
          .isInstanceOf(TransientSendException.class)
          .hasMessageContaining("451")
          .hasNoCause();
      assertThat(data.ledgerStatus(enrolment, 1)).isNull();
    }
  }

  @Test
  void anUnreachableServerIsRetryableAndReleasesTheClaim() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    useServer(closedPort);

    assertThatThrownBy(() -> send.sendStep(lead, 1))
        .isInstanceOf(TransientSendException.class)
        .isNotInstanceOf(ApplicationFailure.class);
    assertThat(data.ledgerStatus(enrolment, 1)).isNull();

    // Once the server is back, the retry sends.
    useServer(greenMail.getSmtp().getPort());
    assertThat(send.sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aServerFallingSilentBeforeTheContentReleasesTheClaim() throws Exception {
    Map<String, String> silentAtData = new HashMap<>();
    silentAtData.put("DATA", null);
    try (FakeSmtpServer server = new FakeSmtpServer(silentAtData)) {
      useServer(server.port());

      assertThatThrownBy(() -> send.sendStep(lead, 1)).isInstanceOf(TransientSendException.class);
      assertThat(data.ledgerStatus(enrolment, 1)).isNull();
    }
  }

  @Test
  void aServerFallingSilentAfterTheContentLeavesTheStepAmbiguous() throws Exception {
    Map<String, String> silentAfterContent = new HashMap<>();
    silentAfterContent.put(".", null);
    try (FakeSmtpServer server = new FakeSmtpServer(silentAfterContent)) {
      useServer(server.port());

      SendResult result = send.sendStep(lead, 1);

      assertThat(result.outcome()).isEqualTo(SendOutcome.AMBIGUOUS);
      assertThat(server.commands()).contains(".");
      assertThat(data.ledgerStatus(enrolment, 1)).isEqualTo("AMBIGUOUS");
      assertThat(data.events(enrolment)).hasSize(1).allMatch(e -> e.startsWith("AMBIGUOUS 1: "));
    }
  }

  @Test
  void rejectsALeadAddressThatWouldInjectHeaders() {
    long injected =
        data.enrolment(
            client,
            campaign,
            data.lead(
                client,
                "eve@example.test\r\nBcc: spy@evil.test",
                "Eve",
                "Evil",
                "{\"role\": \"CEO\"}"),
            "ACTIVE");

    assertThatThrownBy(() -> send.sendStep(new LeadRef(client, campaign, injected), 1))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo(FailureType.INVALID_ADDRESS.name());
              assertThat(f.getOriginalMessage()).doesNotContain("eve@example.test");
            });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(injected, 1)).isEqualTo("FAILED");
  }

  @Test
  void authenticatesWithTheMailboxsDecryptedPassword() {
    greenMail.setUser("secure@acme.test", "secure-user", "s3cret");
    long secure =
        data.mailbox(
            client,
            "secure@acme.test",
            "Secure",
            greenMail.getSmtp().getPort(),
            "secure-user",
            "s3cret");
    long secured = data.campaign(client, "ACTIVE", secure);
    data.step(client, secured, 1, 0, "Hi", "Hello {{firstName}}");
    long person = data.lead(client, "bob@example.test", "Bob", "Bobco", "{}");
    long bob = data.enrolment(client, secured, person, "ACTIVE");

    SendResult result = send.sendStep(new LeadRef(client, secured, bob), 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aRefusedPasswordHoldsTheLeadAndFreesTheStep() {
    greenMail.setUser("secure@acme.test", "secure-user", "s3cret");
    long wrong =
        data.mailbox(
            client,
            "secure@acme.test",
            "Secure",
            greenMail.getSmtp().getPort(),
            "secure-user",
            "wrong");
    long secured = data.campaign(client, "ACTIVE", wrong);
    data.step(client, secured, 1, 0, "Hi", "Hello {{firstName}}");
    long person = data.lead(client, "bob@example.test", "Bob", "Bobco", "{}");
    long bob = data.enrolment(client, secured, person, "ACTIVE");

    SendResult result = send.sendStep(new LeadRef(client, secured, bob), 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.HELD);
    assertThat(result.detail())
        .startsWith("mailbox " + wrong + ": SMTP authentication refused")
        .endsWith("fix the mailbox, then resume");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(bob, 1)).isNull();
    // The workflow writes the HELD event with this reason; the activity writes none.
    assertThat(data.events(bob)).isEmpty();
    // Every lead of the mailbox would fail the same way: the mailbox is paused for all of them.
    assertThat(mailboxState(wrong)).isEqualTo("PAUSED: the SMTP server refused its login");
  }

  private String mailboxState(long id) {
    return jdbc.sql(
            "select status || coalesce(': ' || paused_reason, '') from mailboxes where id = :id")
        .param("id", id)
        .query(String.class)
        .single();
  }

  @Test
  void anAuthenticationReplyOf535HoldsTheLeadWithItsCode() throws Exception {
    Map<String, String> replies = new HashMap<>();
    replies.put("EHLO", "250-fake.test\r\n250 AUTH PLAIN");
    replies.put("AUTH", "535 5.7.8 Authentication credentials invalid");
    try (FakeSmtpServer server = new FakeSmtpServer(replies)) {
      useServer(server.port());
      useCredentials("sales-user", "wrong");

      SendResult result = send.sendStep(lead, 1);

      assertThat(result.outcome()).isEqualTo(SendOutcome.HELD);
      assertThat(result.detail())
          .isEqualTo(
              "mailbox "
                  + mailbox
                  + ": SMTP authentication refused (reply 535 5.7.8); fix the mailbox, then"
                  + " resume");
      assertThat(server.commands()).contains("AUTH").doesNotContain("MAIL", "RCPT", "DATA");
      assertThat(data.ledgerStatus(enrolment, 1)).isNull();
      assertThat(data.events(enrolment)).isEmpty();
    }
  }

  @Test
  void aRejectedSenderHoldsTheLeadAndSendsNothing() throws Exception {
    for (String reply :
        List.of(
            "553 5.7.1 <sales@acme.test>: Sender address rejected: not owned by user",
            "550 5.7.1 Sender policy violation")) {
      try (FakeSmtpServer server = new FakeSmtpServer(Map.of("MAIL", reply))) {
        useServer(server.port());

        SendResult result = send.sendStep(lead, 1);

        assertThat(result.outcome()).as(reply).isEqualTo(SendOutcome.HELD);
        assertThat(result.detail())
            .contains("mailbox " + mailbox + ": the server rejected the sender")
            .contains(reply.substring(0, 9))
            .doesNotContain("sales@acme.test", LEAD_EMAIL);
        assertThat(server.commands()).doesNotContain("RCPT", "DATA");
        assertThat(data.ledgerStatus(enrolment, 1)).isNull();
        assertThat(mailboxState(mailbox))
            .isEqualTo("PAUSED: the SMTP server refused to send from it");
        jdbc.sql("update mailboxes set status = 'ACTIVE', paused_reason = null where id = :id")
            .param("id", mailbox)
            .update();
      }
    }
    assertThat(data.events(enrolment)).isEmpty();
  }

  @Test
  void aClientAtItsDailyCapWaitsForTheNextUtcDayWithoutClaimingAnything() {
    jdbc.sql("update clients set max_sends_per_day = 1 where id = :id")
        .param("id", client)
        .update();
    assertThat(send.sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.SENT);
    long person = data.lead(client, "second@example.test", "Bo", "Bo Ltd", "{\"role\": \"CEO\"}");
    long second = data.enrolment(client, campaign, person, "ACTIVE");

    SendResult capped = send.sendStep(new LeadRef(client, campaign, second), 1);

    assertThat(capped.outcome()).as(capped.detail()).isEqualTo(SendOutcome.DEFERRED);
    assertThat(capped.detail()).contains("reached its cap of 1 emails per day (UTC)");
    java.time.Instant nextDay =
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plusSeconds(86_400);
    assertThat(java.time.Instant.ofEpochMilli(capped.deferUntil()))
        .isBetween(nextDay, nextDay.plusSeconds(600));
    assertThat(data.ledgerStatus(second, 1)).as("nothing claimed").isNull();
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
  }

  @Test
  void aSendingQuotaHoldsTheLeadAndFreesTheStep() throws Exception {
    for (Map<String, String> replies :
        List.of(
            Map.of("RCPT", "552 5.4.5 Daily user sending quota exceeded"),
            Map.of(".", "550 Daily user sending quota exceeded"))) {
      try (FakeSmtpServer server = new FakeSmtpServer(replies)) {
        useServer(server.port());

        SendResult result = send.sendStep(lead, 1);

        assertThat(result.outcome()).as(replies.toString()).isEqualTo(SendOutcome.HELD);
        assertThat(result.detail()).contains("sending quota or rate limit");
        assertThat(data.ledgerStatus(enrolment, 1)).isNull();
        assertThat(mailboxState(mailbox)).as("a quota passes by itself").isEqualTo("ACTIVE");
      }
    }
    // Once the mailbox can send again, the step goes out.
    useServer(greenMail.getSmtp().getPort());
    assertThat(send.sendStep(lead, 1).outcome()).isEqualTo(SendOutcome.SENT);
  }

  @Test
  void aMailboxThatCannotSendHoldsTheLeadBeforeAnythingIsClaimed() {
    jdbc.sql("update mailboxes set status = 'PAUSED' where id = :id").param("id", mailbox).update();
    SendResult paused = send.sendStep(lead, 1);
    assertThat(paused.outcome()).isEqualTo(SendOutcome.HELD);
    assertThat(paused.detail()).startsWith("mailbox " + mailbox + ": it is PAUSED");

    jdbc.sql("update mailboxes set status = 'ACTIVE', smtp_password_enc = 'garbage' where id = :id")
        .param("id", mailbox)
        .update();
    SendResult undecryptable = send.sendStep(lead, 1);
    assertThat(undecryptable.outcome()).isEqualTo(SendOutcome.HELD);
    assertThat(undecryptable.detail()).contains("does not decrypt");

    long bare = data.campaign(client, "ACTIVE");
    data.step(client, bare, 1, 0, "Hi", "Hello");
    long alone =
        data.enrolment(
            client, bare, data.lead(client, "cy@example.test", "Cy", "Co", "{}"), "ACTIVE");
    SendResult noMailbox = send.sendStep(new LeadRef(client, bare, alone), 1);
    assertThat(noMailbox.outcome()).isEqualTo(SendOutcome.HELD);
    assertThat(noMailbox.detail()).contains("campaign " + bare + " has no mailbox in its pool");

    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 1)).isNull();
    assertThat(data.ledgerStatus(alone, 1)).isNull();
  }

  @Test
  void aClaimThatNeverReachedSmtpIsSentByTheRetry() {
    // As left by an attempt that died, or whose release failed, before the content went out.
    data.ledgerRow(client, campaign, enrolment, 1, mailbox, "SENDING");
    data.contentStarted(enrolment, 1, false);

    SendResult result = send.sendStep(lead, 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.SENT);
    assertThat(greenMail.getReceivedMessages()).hasSize(1);
    assertThat(data.ledgerStatus(enrolment, 1)).isEqualTo("SENT");
    assertThat(data.events(enrolment)).hasSize(1).allMatch(e -> e.startsWith("SENT 1: "));
  }

  @Test
  void aClaimThatHandedItsContentToSmtpStaysAmbiguous() {
    data.ledgerRow(client, campaign, enrolment, 1, mailbox, "SENDING");
    data.contentStarted(enrolment, 1, true);

    SendResult result = send.sendStep(lead, 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.AMBIGUOUS);
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 1)).isEqualTo("AMBIGUOUS");
  }

  @Test
  void aStopCommittedAfterTheStatusReadWinsOverTheClaim() {
    for (String stop : List.of("lead REPLIED", "campaign PAUSED", "campaign STOPPED")) {
      data.enrolmentStatus(enrolment, "ACTIVE");
      data.campaignStatus(campaign, "ACTIVE");
      // The stop commits after the activity read the statuses and before it claims: here, right
      // after it loaded the step's context.
      SendActivities racing =
          new SendActivitiesBuilder(spring)
              .contexts(
                  new SendContextStore(jdbc) {
                    @Override
                    public Optional<SendContext> load(
                        long clientId, long campaignId, long enrolmentId, int stepIndex) {
                      Optional<SendContext> read =
                          super.load(clientId, campaignId, enrolmentId, stepIndex);
                      String[] what = stop.split(" ");
                      if (what[0].equals("lead")) {
                        data.enrolmentStatus(enrolment, what[1]);
                      } else {
                        data.campaignStatus(campaign, what[1]);
                      }
                      return read;
                    }
                  })
              .build();

      SendResult result = racing.sendStep(lead, 1);

      assertThat(result.outcome())
          .as(stop)
          .isEqualTo(
              switch (stop) {
                case "lead REPLIED" -> SendOutcome.LEAD_STOPPED;
                case "campaign PAUSED" -> SendOutcome.CAMPAIGN_PAUSED;
                default -> SendOutcome.CAMPAIGN_STOPPED;
              });
      assertThat(data.ledgerStatus(enrolment, 1)).as(stop).isNull();
    }
    assertThat(greenMail.getReceivedMessages()).isEmpty();
  }

  @Test
  void anSmtpHostThatNowResolvesToAnInternalAddressIsNotContactedAndPausesTheMailbox() {
    // What DNS rebinding looks like to the worker: the host now answers with loopback.
    SendActivities strict =
        new SendActivitiesBuilder(spring)
            .hostPolicy(
                new dev.outbound.vocabulary.network.HostPolicy(
                    false,
                    host -> new java.net.InetAddress[] {java.net.InetAddress.getLoopbackAddress()}))
            .build();

    SendResult result = strict.sendStep(lead, 1);

    assertThat(result.outcome()).isEqualTo(SendOutcome.HELD);
    assertThat(result.detail()).contains("its SMTP host resolves to a loopback");
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 1)).isNull();
    assertThat(mailboxState(mailbox))
        .isEqualTo("PAUSED: its SMTP or IMAP host resolves to an internal address");
  }

  @Test
  void findsNothingForAnotherClientsIds() {
    long otherClient = data.client("other");

    assertThatThrownBy(() -> send.sendStep(new LeadRef(otherClient, campaign, enrolment), 1))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo(FailureType.NOT_FOUND.name());
            });
    assertThat(greenMail.getReceivedMessages()).isEmpty();
    assertThat(data.ledgerStatus(enrolment, 1)).isNull();
  }

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void logsNoPersonalDataWhateverHappens(CapturedOutput output) throws Exception {
    send.sendStep(lead, 1);
    try (FakeSmtpServer server =
        new FakeSmtpServer(Map.of("RCPT", "550 5.1.1 <" + LEAD_EMAIL + ">: no such user"))) {
      useServer(server.port());
      assertThatThrownBy(() -> send.sendStep(lead, 2)).isInstanceOf(ApplicationFailure.class);
    }

    // GreenMail (the test's mail server) logs the addresses it creates accounts for; we do not.
    assertThat(output.getAll().lines().filter(line -> !line.contains("greenmail")))
        .isNotEmpty()
        .noneMatch(line -> line.contains(LEAD_EMAIL) || line.contains("Ada"));
  }

  /** Gives the campaign's mailbox SMTP credentials. */
  private void useCredentials(String user, String password) {
    jdbc.sql(
            "update mailboxes set smtp_username = :user, smtp_password_enc = :password where id = :id")
        .param("user", user)
        .param("password", cipher.encrypt(password))
        .param("id", mailbox)
        .update();
  }

  /** Points the campaign's mailbox at another SMTP port. */
  private void useServer(int port) {
    jdbc.sql("update mailboxes set smtp_port = :port where id = :id")
        .param("port", port)
        .param("id", mailbox)
        .update();
  }
}
