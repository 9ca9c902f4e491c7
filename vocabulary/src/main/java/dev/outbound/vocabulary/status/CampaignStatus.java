package dev.outbound.vocabulary.status;

/** Where a campaign stands. The names are the API's and the database's. */
public enum CampaignStatus {
  /** Created, nothing sent; steps and leads can be added. */
  DRAFT,
  /** Started: leads are enrolled and their sequences run. */
  ACTIVE,
  /** Started and held: running sequences wait until the campaign is resumed. */
  PAUSED,
  /** Ended for good; a stopped campaign is never started again. */
  STOPPED
}
