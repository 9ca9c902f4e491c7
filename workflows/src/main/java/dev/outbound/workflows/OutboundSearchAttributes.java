package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributes;
import java.util.List;

/**
 * The custom search attributes the project registers (infra/k8s search-attribute Job in production,
 * the launcher on its embedded server) and the lead workflows carry, so operators can filter in the
 * Temporal Web UI by client, campaign, lead status and step. Internal IDs and status names only,
 * never personal data (docs/architecture.md, "The guarantees and how the code delivers them").
 */
public final class OutboundSearchAttributes {

  public static final SearchAttributeKey<Long> CLIENT_ID =
      SearchAttributeKey.forLong("OutboundClientId");
  public static final SearchAttributeKey<Long> CAMPAIGN_ID =
      SearchAttributeKey.forLong("OutboundCampaignId");
  public static final SearchAttributeKey<String> LEAD_STATUS =
      SearchAttributeKey.forKeyword("OutboundLeadStatus");
  public static final SearchAttributeKey<Long> STEP = SearchAttributeKey.forLong("OutboundStep");

  /** Every key, for registration. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(CLIENT_ID, CAMPAIGN_ID, LEAD_STATUS, STEP);

  private OutboundSearchAttributes() {}

  /** What a lead workflow starts with: its client and campaign, {@code PENDING} at step 0. */
  public static SearchAttributes atStart(LeadRef lead) {
    return atStart(lead, LeadStatus.PENDING);
  }

  /**
   * What a lead workflow starts with when its starter already knows its status (the enrolment marks
   * leads {@code ACTIVE} before it starts their workflows): attributes given at the start are free,
   * while an upsert from the workflow is a billable action.
   */
  public static SearchAttributes atStart(LeadRef lead, LeadStatus status) {
    return SearchAttributes.newBuilder()
        .set(CLIENT_ID, lead.clientId())
        .set(CAMPAIGN_ID, lead.campaignId())
        .set(LEAD_STATUS, status.name())
        .set(STEP, 0L)
        .build();
  }

  /** The static summary the Web UI shows for a lead workflow (IDs only). */
  public static String summaryOf(LeadRef lead) {
    return "Lead "
        + lead.leadId()
        + " in campaign "
        + lead.campaignId()
        + " (client "
        + lead.clientId()
        + ")";
  }

  /** The static details of a lead workflow: where the rest is (the REST API), IDs only. */
  public static String detailsOf(LeadRef lead) {
    return "Outbound lead sequence.\n\n"
        + "- lead: `GET /api/v1/leads/"
        + lead.leadId()
        + "` (status, next send, timeline)\n"
        + "- campaign: `GET /api/v1/campaigns/"
        + lead.campaignId()
        + "`\n"
        + "- query `status` for the live step and next due time";
  }
}
