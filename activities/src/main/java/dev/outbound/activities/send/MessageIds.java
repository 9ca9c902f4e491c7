package dev.outbound.activities.send;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place a step's Message-ID is made: {@code <outbound.c12.l345.s2@mailbox-domain>}. It is
 * derived from (campaign, lead, step) so that every attempt at a step uses the same ID, the
 * ledger's unique constraint on it backs the one on the key, and a reply's {@code In-Reply-To}
 * leads back to the step. Internal IDs only: a Message-ID is visible to every server on the way.
 */
public final class MessageIds {

  private static final Pattern DOMAIN =
      Pattern.compile(
          "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");

  /** One '@', and no whitespace, control characters or angle brackets anywhere. */
  private static final Pattern PLAIN_ADDRESS =
      Pattern.compile("[^@\\s\\p{Cntrl}<>]+@[^@\\s\\p{Cntrl}<>]+");

  private MessageIds() {}

  /**
   * The Message-ID of step {@code stepIndex} of lead {@code leadId} (an enrolment) in {@code
   * campaignId}, on the domain of {@code mailboxEmail}.
   *
   * @throws IllegalArgumentException when the mailbox address has no usable domain
   */
  public static String of(long campaignId, long leadId, int stepIndex, String mailboxEmail) {
    // The whole address is checked, not just what follows the last '@': "a@x.test>\r\nBcc:
    // b@y.test"
    // ends in a fine domain.
    if (mailboxEmail == null || !PLAIN_ADDRESS.matcher(mailboxEmail).matches()) {
      throw new IllegalArgumentException("the mailbox address is not a plain address");
    }
    int at = mailboxEmail.lastIndexOf('@');
    String domain = at < 0 ? "" : mailboxEmail.substring(at + 1).toLowerCase(Locale.ROOT);
    if (!DOMAIN.matcher(domain).matches()) {
      throw new IllegalArgumentException("the mailbox address has no usable domain");
    }
    return "<outbound.c" + campaignId + ".l" + leadId + ".s" + stepIndex + "@" + domain + ">";
  }
}
