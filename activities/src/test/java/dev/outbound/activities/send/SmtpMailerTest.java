package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The parts of sending that need no server: failure sorting, HTML, header checks. */
class SmtpMailerTest {

  private static final InternetAddress LEAD = address("ada@example.test");
  private static final InternetAddress SENDER = address("sales@acme.test");

  private static InternetAddress address(String email) {
    try {
      return new InternetAddress(email);
    } catch (AddressException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFailureWithoutReplyIsTransientBeforeTheContentAndAmbiguousAfterIt() {
    MessagingException down = new MessagingException("connect failed", new ConnectException());

    assertThat(SmtpFailures.classify(down, false, false).kind())
        .isEqualTo(SmtpFailure.Kind.TRANSIENT);
    assertThat(SmtpFailures.classify(down, true, false).kind())
        .isEqualTo(SmtpFailure.Kind.AMBIGUOUS);
    assertThat(SmtpFailures.classify(down, false, true).getMessage()).contains("deadline");
    assertThat(SmtpFailures.classify(down, true, true).kind())
        .isEqualTo(SmtpFailure.Kind.AMBIGUOUS);
  }

  @Test
  void describesFailuresByTypeNotByTheServersWords() {
    MessagingException e = new MessagingException("550 <ada@example.test> unknown");

    assertThat(SmtpFailures.classify(e, false, false).getMessage())
        .doesNotContain("ada@example.test");
  }

  @Test
  void sortsRejectionsByWhoseProblemTheyAre() {
    // The sender (MAIL FROM), whatever the code: the mailbox's problem.
    assertThat(kind(senderRejected(553, "553 5.7.1 <sales@acme.test>: Sender address rejected")))
        .isEqualTo(SmtpFailure.Kind.MAILBOX);
    assertThat(kind(senderRejected(550, "550 5.1.0 sender domain does not exist")))
        .isEqualTo(SmtpFailure.Kind.MAILBOX);
    // Authentication, at any stage.
    assertThat(kind(new AuthenticationFailedException("535 5.7.8 credentials invalid")))
        .isEqualTo(SmtpFailure.Kind.MAILBOX);
    assertThat(kind(recipientRejected(530, "530 5.7.0 Authentication required")))
        .isEqualTo(SmtpFailure.Kind.MAILBOX);
    // Sending quotas.
    assertThat(kind(recipientRejected(552, "552 5.4.5 Daily sending quota exceeded")))
        .isEqualTo(SmtpFailure.Kind.MAILBOX);
    assertThat(kind(dataRejected(554, "554 Message rejected: daily sending limit reached")))
        .isEqualTo(SmtpFailure.Kind.MAILBOX);
    // The recipient's: its address, its mailbox (even when "over quota"), or this email.
    assertThat(kind(recipientRejected(550, "550 5.1.1 <ada@example.test>: no such user")))
        .isEqualTo(SmtpFailure.Kind.PERMANENT);
    assertThat(kind(recipientRejected(552, "552 5.2.2 mailbox over quota")))
        .isEqualTo(SmtpFailure.Kind.PERMANENT);
    assertThat(kind(dataRejected(554, "554 5.7.1 message rejected as spam")))
        .isEqualTo(SmtpFailure.Kind.PERMANENT);
    // Passing: a deferral, even of a quota.
    assertThat(kind(senderRejected(451, "451 4.7.1 rate limited, try again later")))
        .isEqualTo(SmtpFailure.Kind.TRANSIENT);

    assertThat(
            SmtpFailures.classify(
                    recipientRejected(552, "552 5.4.5 <ada@example.test> quota"), false, false)
                .getMessage())
        .contains("reply 552 5.4.5")
        .doesNotContain("ada@example.test");
  }

  private static SmtpFailure.Kind kind(MessagingException e) {
    return SmtpFailures.classify(e, false, false).kind();
  }

  private static MessagingException senderRejected(int code, String reply) {
    SMTPSendFailedException e =
        new SMTPSendFailedException("MAIL FROM", code, reply, null, null, null, null);
    e.setNextException(new SMTPSenderFailedException(SENDER, "MAIL FROM", code, reply));
    return e;
  }

  private static MessagingException recipientRejected(int code, String reply) {
    SendFailedException e = new SendFailedException("Invalid Addresses");
    e.setNextException(new SMTPAddressFailedException(LEAD, "RCPT TO", code, reply));
    return e;
  }

  private static MessagingException dataRejected(int code, String reply) {
    return new SMTPSendFailedException("DATA", code, reply, null, null, null, null);
  }

  @Test
  @Tag("slow") // a FakeSmtpServer on a real socket
  void theSendDeadlineEndsASilentServerBeforeAndAfterTheContent() throws Exception {
    MailProperties slow =
        new MailProperties(
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    Map<String, String> silentAtData = new HashMap<>();
    silentAtData.put("DATA", null);
    Map<String, String> silentAfterContent = new HashMap<>();
    silentAfterContent.put(".", null);
    try (SmtpMailer mailer = new SmtpMailer(slow);
        FakeSmtpServer before = new FakeSmtpServer(silentAtData);
        FakeSmtpServer after = new FakeSmtpServer(silentAfterContent)) {
      assertThatThrownBy(() -> mailer.send(account(before.port()), email(), () -> true))
          .isInstanceOfSatisfying(
              SmtpFailure.class,
              f -> {
                assertThat(f.kind()).isEqualTo(SmtpFailure.Kind.TRANSIENT);
                assertThat(f.getMessage()).contains("deadline");
              });
      assertThatThrownBy(() -> mailer.send(account(after.port()), email(), () -> true))
          .isInstanceOfSatisfying(
              SmtpFailure.class,
              f -> {
                assertThat(f.kind()).isEqualTo(SmtpFailure.Kind.AMBIGUOUS);
                assertThat(f.getMessage()).contains("deadline");
              });
    }
  }

  @Test
  @Tag("slow") // a FakeSmtpServer on a real socket
  void aClosedGateSendsNoContent() throws Exception {
    try (SmtpMailer mailer = new SmtpMailer(MailProperties.defaults());
        FakeSmtpServer server = new FakeSmtpServer(Map.of())) {
      assertThatThrownBy(() -> mailer.send(account(server.port()), email(), () -> false))
          .isInstanceOfSatisfying(
              SmtpFailure.class, f -> assertThat(f.kind()).isEqualTo(SmtpFailure.Kind.TRANSIENT));
      assertThat(server.commands()).contains("DATA").doesNotContain(".");

      List<Boolean> asked = new ArrayList<>();
      mailer.send(account(server.port()), email(), () -> asked.add(true));
      assertThat(asked).hasSize(1);
      assertThat(server.commands()).contains(".");
    }
  }

  private static SmtpAccount account(int port) {
    return new SmtpAccount(1, "127.0.0.1", port, null, null, false);
  }

  private static OutgoingEmail email() {
    return new OutgoingEmail(
        "<t.1@acme.test>", SENDER, LEAD, "Hi", "text", "<p>html</p>", List.of());
  }

  @Test
  void escapesTheWholeBodyForTheHtmlPartAndKeepsItsLines() {
    assertThat(StepRenderer.html("a < b & c\nnext")).contains("a &lt; b &amp; c<br>\nnext");
  }

  @Test
  void refusesLineBreaksInHeaderValues() throws Exception {
    InternetAddress from = new InternetAddress("a@x.test");
    InternetAddress to = new InternetAddress("b@y.test");

    assertThatThrownBy(
            () ->
                new OutgoingEmail(
                    "<id@x.test>", from, to, "Hi\r\nBcc: c@z.test", "t", "h", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("c@z.test");
    assertThatThrownBy(
            () -> new OutgoingEmail("<id@x.test>", from, to, "Hi", "t", "h", List.of("<a>\n<b>")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
