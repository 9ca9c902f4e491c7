package dev.outbound.workflows;

/** Campaign-wide controls that the campaign workflow fans out to every running lead sequence. */
public enum CampaignAction {
  PAUSE,
  RESUME,
  STOP
}
