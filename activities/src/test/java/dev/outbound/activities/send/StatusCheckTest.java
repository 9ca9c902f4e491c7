package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.vocabulary.status.CampaignStatus;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import org.junit.jupiter.api.Test;

/** Which statuses let a step go on, and what a refused one answers. */
class StatusCheckTest {

  @Test
  void everyLeadThatHasNotEndedInAnActiveCampaignMaySend() {
    for (LeadStatus lead : LeadStatus.NOT_ENDED) {
      assertThat(StatusCheck.refusal(lead.name(), CampaignStatus.ACTIVE.name()))
          .as(lead.name())
          .isNull();
    }
  }

  @Test
  void aLeadThatEndedIsStoppedWithItsStatusWhateverTheCampaignDoes() {
    for (LeadStatus lead : LeadStatus.TERMINAL) {
      for (CampaignStatus campaign : CampaignStatus.values()) {
        SendResult refusal = StatusCheck.refusal(lead.name(), campaign.name());
        assertThat(refusal.outcome())
            .as(lead + " in " + campaign)
            .isEqualTo(SendOutcome.LEAD_STOPPED);
        assertThat(refusal.leadStatus()).isEqualTo(lead);
        assertThat(refusal.detail()).isEqualTo("lead is " + lead + "; step not sent");
      }
    }
  }

  @Test
  void aCampaignThatIsNotActiveSendsNothing() {
    assertThat(StatusCheck.refusal("ACTIVE", "PAUSED"))
        .isEqualTo(SendResult.of(SendOutcome.CAMPAIGN_PAUSED, null, "campaign is paused"));
    assertThat(StatusCheck.refusal("PAUSED", "STOPPED"))
        .isEqualTo(SendResult.of(SendOutcome.CAMPAIGN_STOPPED, null, "campaign is stopped"));
    assertThat(StatusCheck.refusal("PENDING", "DRAFT"))
        .isEqualTo(
            SendResult.of(SendOutcome.CAMPAIGN_PAUSED, null, "campaign is DRAFT, not active"));
  }
}
