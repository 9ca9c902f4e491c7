package dev.outbound.activities.send;

import dev.outbound.activities.alerts.MailboxPauseReason;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.crm.sequence.MailboxSettings;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.vocabulary.network.HostPolicy;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Whether the lead's mailbox can send, worked out before anything is claimed: a mailbox that is
 * paused, has no host, an unusable address or display name, a password that does not decrypt, a
 * host that now resolves to an internal address, or a domain no Message-ID or unsubscribe address
 * can be made on holds the lead for an operator instead of failing a claimed step. What it finds is
 * the {@link Sender} the rest of the script uses.
 */
@Component
class SenderCheck {

  private final MailboxAssignment assignment;
  private final CredentialCipher cipher;
  private final HostPolicy hostPolicy;
  private final MailboxPauses mailboxPauses;
  private final UnsubscribeTokens unsubscribeTokens;
  private final Waits waits;

  SenderCheck(
      MailboxAssignment assignment,
      CredentialCipher cipher,
      HostPolicy hostPolicy,
      MailboxPauses mailboxPauses,
      UnsubscribeTokens unsubscribeTokens,
      Waits waits) {
    this.assignment = assignment;
    this.cipher = cipher;
    this.hostPolicy = hostPolicy;
    this.mailboxPauses = mailboxPauses;
    this.unsubscribeTokens = unsubscribeTokens;
    this.waits = waits;
  }

  /**
   * The sender of the lead's step, from its mailbox (assigned now on a first send).
   *
   * @throws StepAnswer holding the lead when the mailbox cannot send, with an operator's reason
   */
  Sender senderFor(SendContext context) {
    return check(context, assignment.mailboxOf(context));
  }

  /** {@link #senderFor} once the mailbox is known; the checks run in the order written. */
  Sender check(SendContext context, MailboxSettings mailbox) {
    if (!"ACTIVE".equals(mailbox.status())) {
      throw misconfigured(context, mailbox, "it is " + mailbox.status());
    }
    if (mailbox.smtpHost() == null || mailbox.smtpHost().isBlank()) {
      throw misconfigured(context, mailbox, "it has no SMTP host");
    }
    InternetAddress from = from(context, mailbox);
    SmtpAccount account = account(context, mailbox);
    checkHost(context, mailbox);
    String messageId;
    UnsubscribeTokens.Headers unsubscribe;
    try {
      messageId =
          MessageIds.of(
              context.campaignId(), context.enrolmentId(), context.stepIndex(), mailbox.email());
      unsubscribe =
          unsubscribeTokens.headers(context.clientId(), context.enrolmentId(), mailbox.email());
    } catch (IllegalArgumentException e) {
      // The mailbox's address is not one a Message-ID or a mailto address can be made on.
      throw misconfigured(context, mailbox, e.getMessage());
    }
    return new Sender(mailbox, from, account, messageId, unsubscribe);
  }

  private InternetAddress from(SendContext context, MailboxSettings mailbox) {
    if (Headers.hasLineBreak(mailbox.email()) || Headers.hasLineBreak(mailbox.displayName())) {
      throw misconfigured(context, mailbox, "its address or display name contains a line break");
    }
    try {
      InternetAddress address = new InternetAddress(mailbox.email(), true);
      address.setPersonal(mailbox.displayName(), "UTF-8");
      return address;
    } catch (AddressException | UnsupportedEncodingException e) {
      throw misconfigured(context, mailbox, "its address is not valid");
    }
  }

  private SmtpAccount account(SendContext context, MailboxSettings mailbox) {
    String password;
    try {
      password = cipher.decrypt(mailbox.smtpPasswordEnc());
    } catch (IllegalStateException e) {
      throw misconfigured(
          context, mailbox, "its SMTP password does not decrypt with the configured key");
    }
    String username = mailbox.smtpUsername();
    if (username != null && username.isBlank()) {
      username = null;
    }
    return new SmtpAccount(
        mailbox.id(),
        mailbox.smtpHost(),
        mailbox.smtpPort(),
        username,
        password,
        mailbox.smtpTls());
  }

  /**
   * The SMTP host again, right before connecting: its DNS answer may have changed since the API
   * checked it (DNS rebinding). A host that now resolves to an internal address pauses the mailbox,
   * since every other lead of it would be refused the same way.
   */
  private void checkHost(SendContext context, MailboxSettings mailbox) {
    Optional<String> refusal = hostPolicy.refusal(mailbox.smtpHost());
    if (refusal.isPresent()) {
      mailboxPauses.pause(context.clientId(), mailbox.id(), MailboxPauseReason.HOST_NOT_ALLOWED);
      throw misconfigured(context, mailbox, "its SMTP host " + refusal.get());
    }
  }

  private StepAnswer misconfigured(SendContext context, MailboxSettings mailbox, String why) {
    return waits.untilMailboxFixed(context, "mailbox " + mailbox.id() + ": " + why);
  }
}
