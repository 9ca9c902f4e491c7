package dev.outbound.crm.admin;

import dev.outbound.vocabulary.status.LeadStatus;

/**
 * Where a lead stands, for callers that signal its workflow.
 *
 * @param started whether its lead sequence workflow was started
 */
public record LeadState(long campaignId, String status, boolean started) {

  public boolean terminal() {
    return LeadStatus.parse(status).map(LeadStatus::isTerminal).orElse(false);
  }
}
