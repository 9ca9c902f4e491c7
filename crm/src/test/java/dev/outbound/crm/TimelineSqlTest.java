package dev.outbound.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.vocabulary.timeline.TimelineEvent;
import org.junit.jupiter.api.Test;

/** The SQL fragment stores use to record many enrolments in one statement. */
class TimelineSqlTest {

  @Test
  void writesOneStepZeroEntryPerRowWithTheEventsName() {
    assertThat(
            TimelineStore.insertForEach(
                "stopped", "client_id", "id", TimelineEvent.STOPPED, "'campaign stopped'"))
        .isEqualTo(
            "insert into lead_events (client_id, enrolment_id, type, step, detail)"
                + " select client_id, id, 'STOPPED', 0, 'campaign stopped' from stopped");
  }

  @Test
  void refusesAnythingButNamesParametersAndPlainLiterals() {
    assertThatThrownBy(
            () ->
                TimelineStore.insertForEach(
                    "x; drop table leads", "client_id", "id", TimelineEvent.STOPPED, ":d"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                TimelineStore.insertForEach(
                    "ins", ":client", "id", TimelineEvent.ENROLLED, "'a' || (select 1)'"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TimelineStore.insertForEach("ins", ":client", "id", TimelineEvent.ENROLLED, ":d"))
        .endsWith("select :client, id, 'ENROLLED', 0, :d from ins");
  }
}
