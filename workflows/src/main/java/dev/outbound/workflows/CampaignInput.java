package dev.outbound.workflows;

import java.util.List;

/**
 * Input of the campaign workflow: the campaign's IDs and, after a continue-as-new, the controls
 * that were received but not yet fanned out.
 */
public record CampaignInput(long clientId, long campaignId, List<CampaignAction> pendingActions) {

  public CampaignInput {
    if (clientId <= 0 || campaignId <= 0) {
      throw new IllegalArgumentException("CampaignInput needs positive IDs");
    }
    pendingActions = pendingActions == null ? List.of() : List.copyOf(pendingActions);
  }

  public CampaignInput(long clientId, long campaignId) {
    this(clientId, campaignId, List.of());
  }
}
