package dev.outbound.workflows;

/** The campaign workflow's live status, answered by its query. */
public record CampaignProgress(long enrolled, long signalled, String lastAction, boolean stopped) {}
