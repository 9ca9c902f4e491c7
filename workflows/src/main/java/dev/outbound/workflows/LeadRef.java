package dev.outbound.workflows;

/**
 * Identifies one lead's sequence: the client (tenant) that owns it, the campaign and the lead (its
 * enrolment in that campaign). This is the whole input of a lead workflow: IDs only, no personal
 * data.
 */
public record LeadRef(long clientId, long campaignId, long leadId) {

  public LeadRef {
    if (clientId <= 0 || campaignId <= 0 || leadId <= 0) {
      throw new IllegalArgumentException(
          "LeadRef needs positive IDs: client="
              + clientId
              + " campaign="
              + campaignId
              + " lead="
              + leadId);
    }
  }

  public String workflowId() {
    return WorkflowIds.leadSequence(campaignId, leadId);
  }
}
