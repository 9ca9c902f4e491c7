package dev.outbound.crm.admin;

import dev.outbound.vocabulary.status.CampaignStatus;

/**
 * A change that the campaign's current status does not allow, e.g. adding leads to a stopped one.
 */
public class CampaignStateException extends RuntimeException {

  private final CampaignStatus status;

  public CampaignStateException(CampaignStatus status, String message) {
    super(message);
    this.status = status;
  }

  public CampaignStatus status() {
    return status;
  }
}
