package dev.outbound.crm.capacity;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What {@link MailboxCapacityStore#reserve} needs to place one step of one lead.
 *
 * @param clientId the client, as everywhere first
 * @param campaignId the campaign
 * @param enrolmentId the lead (enrolment) in that campaign
 * @param stepIndex the step, from 1
 * @param mailboxId the lead's (sticky) mailbox
 * @param recipientDomain the domain of the lead's address, for the per-domain limit; stored in
 *     lower case
 * @param domainHourlyLimit the campaign's limit of emails of this client to one domain in any
 *     rolling hour, or null for none
 * @param now the caller's current time; slots are never earlier
 * @param openAt the lead's send window as a function: given an instant, the first instant at or
 *     after it at which the window is open ({@link #ALWAYS_OPEN} when there is no window; {@code
 *     dev.outbound.vocabulary.schedule.SendWindow#openAt} builds one)
 */
public record ReservationRequest(
    long clientId,
    long campaignId,
    long enrolmentId,
    int stepIndex,
    long mailboxId,
    String recipientDomain,
    Integer domainHourlyLimit,
    Instant now,
    UnaryOperator<Instant> openAt) {

  /** The window of a lead that may be sent to at any time. */
  public static final UnaryOperator<Instant> ALWAYS_OPEN = UnaryOperator.identity();

  public ReservationRequest {
    if (stepIndex < 1) {
      throw new IllegalArgumentException("steps are numbered from 1, not " + stepIndex);
    }
    if (recipientDomain == null || recipientDomain.isBlank()) {
      throw new IllegalArgumentException("a reservation needs the recipient's domain");
    }
    if (domainHourlyLimit != null && domainHourlyLimit < 1) {
      throw new IllegalArgumentException(
          "the per-domain hourly limit must be at least 1, not " + domainHourlyLimit);
    }
    Objects.requireNonNull(now, "now");
    recipientDomain = recipientDomain.trim().toLowerCase(Locale.ROOT);
    openAt = openAt == null ? ALWAYS_OPEN : openAt;
  }

  /** The domain of an email address (the part after the last {@code @}), in lower case. */
  public static String domainOf(String email) {
    int at = email.lastIndexOf('@');
    if (at < 0 || at == email.length() - 1) {
      throw new IllegalArgumentException("not an email address with a domain");
    }
    return email.substring(at + 1).trim().toLowerCase(Locale.ROOT);
  }
}
