package dev.outbound.workflows.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.workflows.InboxWatch;
import dev.outbound.workflows.WorkflowIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting a watcher is idempotent; a login change reaches the running watcher. */
@Timeout(60)
class InboxWatcherClientTest {

  private final ClientTestServer server = new ClientTestServer();
  private final InboxWatcherClient watchers = new InboxWatcherClient(server.client);

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void keepsTheRunningWatcherAndTellsItOfNewCredentials() {
    InboxWatch watch = InboxWatch.of(3, 7, 300);

    watchers.ensureRunning(watch);
    watchers.ensureRunning(watch);
    watchers.credentialsChanged(watch);

    String id = WorkflowIds.inboxWatcher(3, 7);
    assertThat(server.starts(id)).isEqualTo(1);
    assertThat(server.signals(id)).containsExactly("credentialsChanged");
  }
}
