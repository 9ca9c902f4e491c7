package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.activities.alerts.MailboxPauseReason;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.sequence.MailboxSettings;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.vocabulary.network.HostPolicy;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import dev.outbound.workflows.SendOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Whether a mailbox can send, decided before anything is claimed. The mailbox is given, so neither
 * the assignment nor the database takes part.
 */
class SenderCheckTest {

  private static final long MAILBOX = 5;

  private final CredentialCipher cipher = new CredentialCipher("sender-check-test-key");
  private final UnsubscribeTokens tokens =
      new UnsubscribeTokens(
          "sender-check-test-secret-of-32-bytes-or-more",
          List.of(),
          URI.create("https://links.example.test"),
          null);
  private final List<MailboxPauseReason> paused = new ArrayList<>();
  private final MailboxPauses pauses =
      new MailboxPauses(null, null) {
        @Override
        public boolean pause(long clientId, long mailboxId, MailboxPauseReason reason) {
          paused.add(reason);
          return true;
        }
      };
  private final SendContext context = SendContexts.step(2, "Hi", "Body", null);

  /** Only the hold needs the waits, and it only counts: no enrolment is written. */
  private SenderCheck check(HostPolicy hosts) {
    Waits waits = new Waits(null, new OutboundMetrics(new SimpleMeterRegistry()));
    return new SenderCheck(null, cipher, hosts, pauses, tokens, waits);
  }

  private final SenderCheck allowing = check(HostPolicy.of(true));

  private static MailboxSettings mailbox(
      String email, String name, String host, String user, String passwordEnc, String status) {
    return new MailboxSettings(MAILBOX, email, name, host, 587, user, passwordEnc, true, status);
  }

  @Test
  void aMailboxThatCanSendGivesTheSenderOfTheStep() {
    Sender sender =
        allowing.check(
            context,
            mailbox(
                "sales@acme.test",
                "Sam",
                "smtp.acme.test",
                " ",
                cipher.encrypt("s3cret"),
                "ACTIVE"));

    assertThat(sender.from().getAddress()).isEqualTo("sales@acme.test");
    assertThat(sender.from().getPersonal()).isEqualTo("Sam");
    assertThat(sender.account())
        .isEqualTo(new SmtpAccount(MAILBOX, "smtp.acme.test", 587, null, "s3cret", true));
    assertThat(sender.messageId())
        .isEqualTo(
            "<outbound.c" + SendContexts.CAMPAIGN + ".l" + SendContexts.LEAD + ".s2@acme.test>");
    assertThat(sender.unsubscribe())
        .isEqualTo(tokens.headers(SendContexts.CLIENT, SendContexts.LEAD, "sales@acme.test"));
    assertThat(sender.toString()).doesNotContain("s3cret");
    assertThat(paused).isEmpty();
  }

  @Test
  void holdsTheLeadForEachWayAMailboxCannotSendInTheOrderChecked() {
    String good = cipher.encrypt("s3cret");
    // Paused comes first, even with a password that would not decrypt either.
    assertHeld(
        () ->
            allowing.check(
                context, mailbox("sales@acme.test", "Sam", "smtp", null, "garbage", "PAUSED")),
        "mailbox 5: it is PAUSED; fix the mailbox, then resume");
    assertHeld(
        () -> allowing.check(context, mailbox("sales@acme.test", "Sam", " ", null, good, "ACTIVE")),
        "mailbox 5: it has no SMTP host; fix the mailbox, then resume");
    assertHeld(
        () ->
            allowing.check(
                context, mailbox("sales@acme.test", "Sam\r\nBcc: x", "smtp", null, good, "ACTIVE")),
        "mailbox 5: its address or display name contains a line break; fix the mailbox, then"
            + " resume");
    assertHeld(
        () ->
            allowing.check(context, mailbox("not an address", "Sam", "smtp", null, good, "ACTIVE")),
        "mailbox 5: its address is not valid; fix the mailbox, then resume");
    assertHeld(
        () ->
            allowing.check(
                context, mailbox("sales@acme.test", "Sam", "smtp", null, "garbage", "ACTIVE")),
        "mailbox 5: its SMTP password does not decrypt with the configured key; fix the mailbox,"
            + " then resume");
    assertThat(paused).as("none of these pauses the mailbox").isEmpty();
  }

  @Test
  void aHostThatNowResolvesToAnInternalAddressPausesTheMailbox() {
    SenderCheck strict =
        check(new HostPolicy(false, host -> new InetAddress[] {InetAddress.getLoopbackAddress()}));

    assertThatThrownBy(
            () ->
                strict.check(
                    context,
                    mailbox("sales@acme.test", "Sam", "smtp.acme.test", null, null, "ACTIVE")))
        .isInstanceOfSatisfying(
            StepAnswer.class,
            answer ->
                assertThat(answer.result().detail())
                    .startsWith("mailbox 5: its SMTP host resolves to a loopback"));
    assertThat(paused).containsExactly(MailboxPauseReason.HOST_NOT_ALLOWED);
  }

  private static void assertHeld(Executable check, String detail) {
    assertThatThrownBy(check::execute)
        .isInstanceOfSatisfying(
            StepAnswer.class,
            answer -> {
              assertThat(answer.result().outcome()).isEqualTo(SendOutcome.HELD);
              assertThat(answer.result().detail()).isEqualTo(detail);
            });
  }
}
