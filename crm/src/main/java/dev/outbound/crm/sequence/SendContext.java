package dev.outbound.crm.sequence;

import java.util.Map;

/**
 * Everything the send activity needs about one (lead, step), loaded in one scoped read: one
 * statement, so that a step costs one round trip before the ledger is looked at.
 *
 * @param clientId the client (tenant)
 * @param campaignId the campaign
 * @param enrolmentId the lead, that is its enrolment in the campaign
 * @param enrolmentStatus the enrolment's status (a {@code LeadStatus} name)
 * @param mailboxId the lead's sticky mailbox, or {@code null} before its first send
 * @param campaignStatus the campaign's status ({@code DRAFT}, {@code ACTIVE}, {@code PAUSED},
 *     {@code STOPPED})
 * @param stepIndex the step to send
 * @param subject the step's subject template (may be blank for a follow-up)
 * @param body the step's body template
 * @param firstStepSubject step 1's subject template, for a follow-up's "Re:" subject, or {@code
 *     null}
 * @param lead the person's data, for rendering only
 * @param delivery when and how fast the step may go out: the campaign's send window and limits
 * @param variant the A/B variant the lead gets for this step ({@code "A"} is the step's own
 *     content), or {@code null} when the step has no variants
 * @param mailbox the settings of the lead's mailbox ({@code mailboxId}), read with the rest, or
 *     {@code null} when the lead has none yet or it is not this client's
 * @param client what the client's settings add to every email and send
 */
public record SendContext(
    long clientId,
    long campaignId,
    long enrolmentId,
    String enrolmentStatus,
    Long mailboxId,
    String campaignStatus,
    int stepIndex,
    String subject,
    String body,
    String firstStepSubject,
    Lead lead,
    Delivery delivery,
    String variant,
    MailboxSettings mailbox,
    Client client) {

  /**
   * The client's settings that every email and send of it needs.
   *
   * @param postalAddress the address printed in the footer of its emails, or {@code null} when it
   *     has none
   * @param dailyCap its own cap on emails per UTC day ({@code clients.max_sends_per_day}), or
   *     {@code null} when the configured default applies
   */
  public record Client(String postalAddress, Integer dailyCap) {}

  /**
   * The campaign's pacing rules for this lead.
   *
   * @param window the campaign's send window, or {@code null} when it may send at any time
   * @param zone the zone the window is read in: the lead's, else the campaign's
   * @param country the lead's country (ISO 3166-1 alpha-2) for public holidays, or {@code null}
   * @param domainHourlyLimit the campaign's limit of emails to one recipient domain per hour, or
   *     {@code null}
   */
  public record Delivery(
      dev.outbound.vocabulary.schedule.SendWindow window,
      java.time.ZoneId zone,
      String country,
      Integer domainHourlyLimit) {

    /** The window as the reservations take it: the first open instant at or after a given one. */
    public java.util.function.UnaryOperator<java.time.Instant> openAt() {
      return window == null
          ? java.util.function.UnaryOperator.identity()
          : window.openAt(zone, country);
    }
  }

  /**
   * The lead's personal data. {@link #toString()} leaves it out, so that a context that ends up in
   * a log message or an exception carries no personal data.
   *
   * @param fields the lead's custom fields as text (JSON nulls left out)
   */
  public record Lead(
      String email,
      String firstName,
      String lastName,
      String company,
      String timezone,
      Map<String, String> fields) {

    public Lead {
      fields = Map.copyOf(fields);
    }

    @Override
    public String toString() {
      return "Lead[personal data omitted]";
    }
  }
}
