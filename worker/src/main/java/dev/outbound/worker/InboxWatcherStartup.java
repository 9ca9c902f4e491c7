package dev.outbound.worker;

import dev.outbound.activities.inbound.WatchProperties;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.workflows.InboxWatch;
import dev.outbound.workflows.client.InboxWatcherClient;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Makes sure every mailbox with an IMAP server has a running watcher once the worker is up.
 * Watchers are durable workflows, so after the first start this only finds them running; it matters
 * for mailboxes created while no API could start theirs, and after a watcher ended because its
 * mailbox had lost its IMAP server. Runs in the background and retries while Temporal or the
 * database is not reachable, so a worker starts (and drains) regardless.
 */
@Component
class InboxWatcherStartup {

  private static final Logger log = LoggerFactory.getLogger(InboxWatcherStartup.class);
  private static final long RETRY_MILLIS = 30_000;

  private final InboundStore store;
  private final InboxWatcherClient watchers;
  private final WatchProperties settings;
  private final AtomicBoolean stopping = new AtomicBoolean();

  InboxWatcherStartup(InboundStore store, WorkflowClient client, WatchProperties settings) {
    this.store = store;
    this.watchers = new InboxWatcherClient(client);
    this.settings = settings;
  }

  @EventListener(ApplicationReadyEvent.class)
  void startWatchers() {
    if (!settings.enabled()) {
      log.info("Inbox watching is off (outbound.inbound.watch.enabled=false)");
      return;
    }
    Thread thread = new Thread(this::startAll, "outbound-inbox-watchers");
    thread.setDaemon(true);
    thread.start();
  }

  @jakarta.annotation.PreDestroy
  void stop() {
    stopping.set(true);
  }

  private void startAll() {
    while (!stopping.get()) {
      try {
        List<InboundStore.Watched> mailboxes = store.watched();
        for (InboundStore.Watched mailbox : mailboxes) {
          watchers.ensureRunning(watch(mailbox, settings));
        }
        log.info("Inbox watchers running for {} mailboxes", mailboxes.size());
        return;
      } catch (RuntimeException e) {
        log.warn("Inbox watchers not started yet, will retry: {}", e.toString());
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static InboxWatch watch(InboundStore.Watched mailbox, WatchProperties settings) {
    return InboxWatch.of(
        mailbox.clientId(), mailbox.mailboxId(), (int) settings.session().toSeconds());
  }
}
