package dev.outbound.activities.inbound;

import dev.outbound.activities.alerts.MailboxPauseReason;
import dev.outbound.activities.alerts.MailboxPauses;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.crm.inbound.InboundStore.Inbox;
import dev.outbound.vocabulary.network.HostPolicy;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import dev.outbound.workflows.InboxActivities;
import dev.outbound.workflows.InboxSession;
import dev.outbound.workflows.InboxSessionEnd;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * See {@link InboxActivities}. One session: log in once, then poll the INBOX every {@link
 * WatchProperties#pollInterval()}, process each new message ({@link InboundProcessor}), send the
 * lead signals that decisions queued ({@link LeadSignalSender}), heartbeat, until the session's
 * time is up. An IMAP server that is down is tried again on the next poll; one that refuses the
 * login pauses the mailbox (replies could not be read, so it must not send) and ends the session.
 */
@Component("inboxActivities")
public class InboxActivitiesImpl implements InboxActivities {

  private static final Logger log = LoggerFactory.getLogger(InboxActivitiesImpl.class);

  private final InboundStore store;
  private final ImapInbox imap;
  private final InboundProcessor processor;
  private final LeadSignalSender signals;
  private final CredentialCipher cipher;
  private final MailboxPauses pauses;
  private final WatchProperties settings;
  private final HostPolicy hosts;

  public InboxActivitiesImpl(
      InboundStore store,
      ImapInbox imap,
      InboundProcessor processor,
      LeadSignalSender signals,
      CredentialCipher cipher,
      MailboxPauses pauses,
      WatchProperties settings,
      HostPolicy hosts) {
    this.store = store;
    this.imap = imap;
    this.processor = processor;
    this.signals = signals;
    this.cipher = cipher;
    this.pauses = pauses;
    this.settings = settings;
    this.hosts = hosts;
  }

  @Override
  public InboxSession read(long clientId, long mailboxId, int sessionSeconds) {
    return session(clientId, mailboxId, Duration.ofSeconds(sessionSeconds));
  }

  /**
   * One poll of the mailbox (repeated while the INBOX has more than one poll returns), then back: a
   * session of no length, for tests and tools that want to read now.
   */
  public InboxSession readOnce(long clientId, long mailboxId) {
    return session(clientId, mailboxId, Duration.ZERO);
  }

  private InboxSession session(long clientId, long mailboxId, Duration length) {
    long deadline = System.nanoTime() + length.toNanos();
    Inbox inbox = store.inbox(clientId, mailboxId).orElse(null);
    if (inbox == null) {
      log.info("Mailbox {} of client {} is gone or has no IMAP server", mailboxId, clientId);
      return new InboxSession(InboxSessionEnd.MAILBOX_GONE, 0, 0, 0, 0);
    }
    // Checked again right before connecting: the DNS answer may have changed since the API
    // checked the host (DNS rebinding).
    Optional<String> refusal = hosts.refusal(inbox.host());
    if (refusal.isPresent()) {
      log.warn("Mailbox {} of client {}: IMAP host {}", mailboxId, clientId, refusal.get());
      pauses.pause(clientId, mailboxId, MailboxPauseReason.HOST_NOT_ALLOWED);
      return new InboxSession(InboxSessionEnd.LOGIN_REFUSED, 0, 0, 0, 0);
    }
    ImapAccount account;
    try {
      account =
          new ImapAccount(
              inbox.host(),
              inbox.port(),
              inbox.tls(),
              inbox.username(),
              inbox.passwordEnc() == null ? null : cipher.decrypt(inbox.passwordEnc()),
              inbox.email());
    } catch (IllegalArgumentException | IllegalStateException e) {
      // A password that does not decrypt with the configured key is a login that cannot work.
      pauses.pause(clientId, mailboxId, MailboxPauseReason.INBOX_LOGIN_REFUSED);
      return new InboxSession(InboxSessionEnd.LOGIN_REFUSED, 0, 0, 0, 0);
    }
    Round round = new Round();
    try (ImapInbox.Connection connection = imap.open(account)) {
      while (true) {
        signals.sendPending(clientId);
        try {
          poll(inbox, connection, round);
          if (round.more) {
            heartbeat(round.cursor);
            continue;
          }
        } catch (InboxException e) {
          if (e.kind() == InboxException.Kind.AUTHENTICATION) {
            log.warn("Mailbox {} of client {}: {}", mailboxId, clientId, e.getMessage());
            pauses.pause(clientId, mailboxId, MailboxPauseReason.INBOX_LOGIN_REFUSED);
            return round.end(InboxSessionEnd.LOGIN_REFUSED);
          }
          log.warn(
              "Mailbox {} of client {} not read, will try again: {}",
              mailboxId,
              clientId,
              e.getMessage());
        }
        if (System.nanoTime() >= deadline) {
          return round.end(InboxSessionEnd.ELAPSED);
        }
        if (!heartbeat(round.cursor) || !pause()) {
          // The worker is shutting down or the attempt was cancelled: hand the mailbox on.
          return round.end(InboxSessionEnd.ELAPSED);
        }
      }
    }
  }

  /** What a session has done so far. */
  private static final class Round {
    int messages;
    int acted;
    boolean more;
    InboxCursor cursor = InboxCursor.start();

    InboxSession end(InboxSessionEnd end) {
      return new InboxSession(end, messages, acted, cursor.uidValidity(), cursor.lastUid());
    }
  }

  /** One poll: process the new messages, store the cursor, send the signals they queued. */
  private void poll(Inbox inbox, ImapInbox.Connection connection, Round round)
      throws InboxException {
    InboxCursor since = startingPoint(connection, inbox);
    InboxBatch batch = connection.poll(since);
    int actedBefore = round.acted;
    for (InboxBatch.Message message : batch.messages()) {
      InboundProcessor.Outcome outcome =
          processor.process(inbox, batch.next().uidValidity(), message);
      round.messages++;
      if (outcome.acted()) {
        round.acted++;
      }
    }
    // Own sent copies, and the end of a batch cut short by size, are covered by the batch's end.
    store.saveCursor(
        inbox.clientId(),
        inbox.mailboxId(),
        new InboundStore.Cursor(batch.next().uidValidity(), batch.next().lastUid()));
    round.cursor = batch.next();
    round.more = batch.more();
    if (round.acted > actedBefore) {
      // Tell the workflows now rather than at the next poll.
      signals.sendPending(inbox.clientId());
    }
  }

  /** The stored cursor; for a mailbox never read, the INBOX's current end (old mail is old). */
  private InboxCursor startingPoint(ImapInbox.Connection connection, Inbox inbox)
      throws InboxException {
    var stored = store.cursor(inbox.clientId(), inbox.mailboxId());
    if (stored.isPresent()) {
      return new InboxCursor(stored.get().uidValidity(), stored.get().lastUid());
    }
    InboxCursor end = connection.position();
    store.saveCursor(
        inbox.clientId(),
        inbox.mailboxId(),
        new InboundStore.Cursor(end.uidValidity(), end.lastUid()));
    return end;
  }

  /** False when the activity must stop: cancelled, timed out, or the worker is shutting down. */
  private static boolean heartbeat(InboxCursor cursor) {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException | NullPointerException e) {
      return true; // Called outside an activity (tests): nothing to report to.
    }
    try {
      context.heartbeat(cursor.lastUid());
      return true;
    } catch (ActivityCompletionException e) {
      return false;
    }
  }

  private boolean pause() {
    try {
      Thread.sleep(settings.pollInterval().toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
