package dev.outbound.activities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.workflows.LeadStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The CRM cannot see the workflows' enum, so this test keeps the two lists of terminal states
 * equal.
 */
class TerminalStatusesTest {

  @Test
  void theCrmAndTheWorkflowsAgreeWhichStatusesAreTerminal() {
    assertThat(EnrolmentStore.TERMINAL_STATUSES)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(LeadStatus.values())
                .filter(LeadStatus::isTerminal)
                .map(LeadStatus::name)
                .toList());
  }
}
