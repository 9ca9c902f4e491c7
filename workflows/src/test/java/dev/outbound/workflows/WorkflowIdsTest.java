package dev.outbound.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkflowIdsTest {

  @Test
  void leadSequenceIdsAreReadableAndMadeOfInternalIdsOnly() {
    assertThat(WorkflowIds.leadSequence(12, 345)).isEqualTo("campaign-12-lead-345");
    assertThat(new LeadRef(7, 12, 345).workflowId()).isEqualTo("campaign-12-lead-345");
    assertThat(WorkflowIds.campaign(12)).isEqualTo("campaign-12");
  }

  @Test
  void rejectsIdsThatAreNotPositive() {
    assertThatThrownBy(() -> WorkflowIds.leadSequence(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WorkflowIds.campaign(-3)).isInstanceOf(IllegalArgumentException.class);
  }
}
