package dev.outbound.workflows;

import java.util.List;

/**
 * Input of the campaign workflow: the campaign's IDs and, after a continue-as-new, where the
 * previous run stopped: the controls not yet fanned out (the first possibly half done, up to lead
 * {@code fanOutAfter}; -1 when its fan-out is complete) and the running totals.
 */
public record CampaignInput(
    long clientId,
    long campaignId,
    List<CampaignAction> pendingActions,
    long fanOutAfter,
    long enrolled,
    long signalled) {

  public CampaignInput {
    if (clientId <= 0 || campaignId <= 0) {
      throw new IllegalArgumentException("CampaignInput needs positive IDs");
    }
    pendingActions = pendingActions == null ? List.of() : List.copyOf(pendingActions);
  }

  public CampaignInput(long clientId, long campaignId) {
    this(clientId, campaignId, List.of(), 0, 0, 0);
  }
}
