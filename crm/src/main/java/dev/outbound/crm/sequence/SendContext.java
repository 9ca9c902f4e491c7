package dev.outbound.crm.sequence;

import java.util.Map;

/**
 * Everything the send activity needs about one (lead, step), loaded in one scoped read.
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
    Lead lead) {

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
