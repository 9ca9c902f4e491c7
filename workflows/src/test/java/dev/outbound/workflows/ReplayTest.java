package dev.outbound.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every committed history against today's workflow code. A change that running workflows
 * could not replay fails here; gate it with {@code Workflow.getVersion} and record a new history
 * beside the old one (see {@link HistoryRecorder}).
 */
class ReplayTest {

  static List<String> histories() throws IOException, URISyntaxException {
    Path dir = Path.of(ReplayTest.class.getResource("/histories").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).anyMatch(n -> n.startsWith("lead-sequence-"));
      assertThat(names).anyMatch(n -> n.startsWith("campaign-"));
      assertThat(names).anyMatch(n -> n.startsWith("inbox-watcher-"));
      return names;
    }
  }

  @ParameterizedTest
  @MethodSource("histories")
  void replaysTheCommittedHistory(String name) throws Exception {
    Class<?> workflow;
    if (name.startsWith("lead-sequence-")) {
      workflow = LeadSequenceWorkflowImpl.class;
    } else if (name.startsWith("inbox-watcher-")) {
      workflow = InboxWatcherWorkflowImpl.class;
    } else {
      workflow = CampaignWorkflowImpl.class;
    }

    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/" + name, workflow);
  }
}
