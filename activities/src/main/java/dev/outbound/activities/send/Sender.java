package dev.outbound.activities.send;

import dev.outbound.crm.sequence.MailboxSettings;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import jakarta.mail.internet.InternetAddress;

/**
 * The mailbox a step goes out from, once {@link SenderCheck} found it able to send: everything the
 * email needs from it, worked out before anything is claimed so that a mailbox problem holds the
 * lead instead of failing a claimed step. {@link #toString()} leaves out the password.
 *
 * @param mailbox the mailbox's settings
 * @param from the From address, with the display name
 * @param account where and as whom to connect, with the decrypted password
 * @param messageId the step's Message-ID, on the mailbox's domain
 * @param unsubscribe the step's {@code List-Unsubscribe} headers
 */
record Sender(
    MailboxSettings mailbox,
    InternetAddress from,
    SmtpAccount account,
    String messageId,
    UnsubscribeTokens.Headers unsubscribe) {

  long mailboxId() {
    return mailbox.id();
  }

  @Override
  public String toString() {
    return "Sender[" + account + ", Message-ID " + messageId + "]";
  }
}
