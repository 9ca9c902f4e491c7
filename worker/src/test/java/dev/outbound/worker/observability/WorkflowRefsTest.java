package dev.outbound.worker.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;
import dev.outbound.workflows.CampaignInput;
import dev.outbound.workflows.LeadProgress;
import dev.outbound.workflows.LeadRef;
import dev.outbound.workflows.WorkflowIds;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowRefsTest {

  @Test
  void readsCampaignAndLeadFromTheIdsWorkflowIdsBuilds() {
    assertThat(WorkflowRefs.fromWorkflowId(WorkflowIds.leadSequence(12, 345)))
        .containsExactly(Map.entry("campaign.id", "12"), Map.entry("lead.id", "345"));
    assertThat(WorkflowRefs.fromWorkflowId(WorkflowIds.campaign(12)))
        .containsExactly(Map.entry("campaign.id", "12"));
  }

  @Test
  void ignoresWorkflowIdsOfAnotherForm() {
    assertThat(WorkflowRefs.fromWorkflowId("ada@example.com")).isEmpty();
    assertThat(WorkflowRefs.fromWorkflowId(null)).isEmpty();
  }

  @Test
  void readsTheClientFromLeadRefsAndRecordsThatCarryIt() {
    LeadRef lead = new LeadRef(3, 12, 345);
    assertThat(WorkflowRefs.of("campaign-12-lead-345", new Object[] {lead, 2}))
        .containsEntry("client.id", "3");
    LeadProgress progress =
        new LeadProgress(
            lead, LeadStatus.ACTIVE, 1, null, TimelineEvent.SCHEDULED, 2, "ada@example.com");
    assertThat(WorkflowRefs.fromArguments(new Object[] {progress}))
        .containsEntry("client.id", "3")
        .containsEntry("lead.id", "345")
        .doesNotContainValue("ada@example.com");
    assertThat(WorkflowRefs.fromArguments(new Object[] {new CampaignInput(4, 12)}))
        .containsExactly(Map.entry("client.id", "4"), Map.entry("campaign.id", "12"));
  }

  @Test
  void readsTheClientOfCampaignActivitiesOnlyWhenTheCampaignMatches() {
    assertThat(WorkflowRefs.of("campaign-12", new Object[] {4L, 12L, 200}))
        .containsEntry("client.id", "4");
    assertThat(WorkflowRefs.of("campaign-12", new Object[] {4L, 13L, 200}))
        .doesNotContainKey("client.id");
  }
}
