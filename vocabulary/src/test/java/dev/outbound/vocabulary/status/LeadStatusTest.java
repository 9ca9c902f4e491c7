package dev.outbound.vocabulary.status;

import static dev.outbound.vocabulary.status.LeadStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class LeadStatusTest {

  @Test
  void theTerminalSetAndIsTerminalAgree() {
    for (LeadStatus status : values()) {
      assertThat(TERMINAL.contains(status)).as(status.name()).isEqualTo(status.isTerminal());
      assertThat(NOT_ENDED.contains(status)).as(status.name()).isNotEqualTo(status.isTerminal());
    }
    assertThat(names(TERMINAL))
        .containsExactly(
            "COMPLETED",
            "REPLIED",
            "BOUNCED",
            "UNSUBSCRIBED",
            "MEETING_BOOKED",
            "STOPPED",
            "FAILED");
  }

  @Test
  void whatAPersonDoesMayFollowTheEndingsTheSequenceSetAndLighterEvents() {
    EnumSet<LeadStatus> running = EnumSet.of(PENDING, ACTIVE, PAUSED, HELD);
    assertThat(BOUNCED.allowedFrom()).isEqualTo(running);
    assertThat(COMPLETED.allowedFrom()).isEqualTo(running);
    assertThat(STOPPED.allowedFrom()).isEqualTo(running);
    assertThat(REPLIED.allowedFrom())
        .containsExactlyInAnyOrder(PENDING, ACTIVE, PAUSED, HELD, COMPLETED, STOPPED, FAILED);
    assertThat(MEETING_BOOKED.allowedFrom())
        .containsExactlyInAnyOrder(
            PENDING, ACTIVE, PAUSED, HELD, COMPLETED, STOPPED, FAILED, REPLIED);
    assertThat(UNSUBSCRIBED.allowedFrom())
        .containsExactlyInAnyOrder(
            PENDING, ACTIVE, PAUSED, HELD, COMPLETED, STOPPED, FAILED, REPLIED, MEETING_BOOKED);
    assertThat(ACTIVE.allowedFrom()).isEmpty();
  }

  @Test
  void aWorkflowMayStillRunUnlessItsSequenceEndedItByItself() {
    assertThat(EnumSet.allOf(LeadStatus.class).stream().filter(s -> !s.mayStillRun()))
        .containsExactlyInAnyOrder(COMPLETED, STOPPED, FAILED, BOUNCED);
  }

  @Test
  void writesStatusesAsAnSqlListInDeclarationOrder() {
    assertThat(sqlList(NOT_ENDED)).isEqualTo("('PENDING', 'ACTIVE', 'PAUSED', 'HELD')");
    assertThat(parse("REPLIED")).contains(REPLIED);
    assertThat(parse("replied")).isEmpty();
    assertThat(parse(null)).isEmpty();
  }
}
