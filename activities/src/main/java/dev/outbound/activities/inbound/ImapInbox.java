package dev.outbound.activities.inbound;

import dev.outbound.activities.JakartaMail;
import dev.outbound.activities.inbound.InboxException.Kind;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;
import org.springframework.stereotype.Component;

/**
 * Polls one mailbox's INBOX over IMAP for messages it has not seen, for an activity to classify and
 * match. Each poll connects, opens the INBOX read-only (EXAMINE, and bodies fetched with PEEK: no
 * message is marked read or changed), takes the messages with a UID above the cursor's, at most
 * {@link InboundProperties#maxMessagesPerPoll()} and about {@link
 * InboundProperties#maxBytesPerPoll()} per poll, and disconnects.
 *
 * <p>A poll does not remember anything: the caller stores {@link InboxBatch#next()} after it has
 * processed the batch (in workflow state, say), so a crash between fetch and store repeats the
 * batch, and the caller drops repeats by Message-ID. The same holds after a UIDVALIDITY change,
 * which restarts the reading from the INBOX's first message.
 *
 * <p>The mailbox's own sent copies (some providers put them in the INBOX too, and a campaign may
 * mail its own address) are passed over: messages from the mailbox's address, and messages whose
 * Message-ID has the shape of ours.
 */
@Component
public class ImapInbox {

  static {
    JakartaMail.configure();
  }

  private final InboundProperties properties;

  public ImapInbox(InboundProperties properties) {
    this.properties = properties;
  }

  /**
   * The new messages after {@code since}.
   *
   * @param since where the last poll ended; {@link InboxCursor#start()} for the first poll
   * @throws InboxException when the server cannot be reached, refuses the login, or answers
   *     nonsense
   */
  public InboxBatch poll(ImapAccount account, InboxCursor since) throws InboxException {
    try (Connection connection = open(account)) {
      return connection.poll(since);
    }
  }

  /**
   * A logged-in connection for several polls in a row (an inbox-reading session): the login is made
   * once, and each poll opens the INBOX afresh, which is how IMAP shows messages that arrived
   * since. A connection the server dropped is made again on the next poll. Not thread-safe.
   */
  public Connection open(ImapAccount account) {
    return new Connection(account);
  }

  /** See {@link #open}. */
  public final class Connection implements AutoCloseable {

    private final ImapAccount account;
    private Store store;

    private Connection(ImapAccount account) {
      this.account = account;
    }

    /** As {@link ImapInbox#poll}, on this connection. */
    public InboxBatch poll(InboxCursor since) throws InboxException {
      Store connected = connected();
      try {
        IMAPFolder inbox = openInbox(connected);
        try {
          return read(inbox, account, since);
        } finally {
          closeQuietly(inbox);
        }
      } catch (MessagingException | IOException e) {
        throw dropAfter(e);
      }
    }

    /** As {@link ImapInbox#position}, on this connection. */
    public InboxCursor position() throws InboxException {
      Store connected = connected();
      try {
        return endOf(connected);
      } catch (MessagingException e) {
        throw dropAfter(e);
      }
    }

    /** The logged-in store, logging in (again) when there is none or the server dropped it. */
    private Store connected() throws InboxException {
      if (store == null || !store.isConnected()) {
        close();
        store = connect(account);
      }
      return store;
    }

    /** The next call logs in again rather than trusting a connection that just failed. */
    private InboxException dropAfter(Exception e) {
      close();
      return failure(account, e);
    }

    @Override
    public void close() {
      closeQuietly(store);
      store = null;
    }
  }

  /**
   * Where the INBOX ends now: a cursor from which a poll returns only messages that arrive later.
   * For a mailbox whose old mail should not be read at all.
   */
  public InboxCursor position(ImapAccount account) throws InboxException {
    try (Connection connection = open(account)) {
      return connection.position();
    }
  }

  private static InboxCursor endOf(Store store) throws MessagingException {
    IMAPFolder inbox = openInbox(store);
    try {
      long validity = inbox.getUIDValidity();
      int count = inbox.getMessageCount();
      long last =
          count == 0 ? Math.max(0, inbox.getUIDNext() - 1) : inbox.getUID(inbox.getMessage(count));
      return new InboxCursor(validity, last);
    } finally {
      closeQuietly(inbox);
    }
  }

  private InboxBatch read(IMAPFolder inbox, ImapAccount account, InboxCursor since)
      throws MessagingException, IOException {
    long validity = inbox.getUIDValidity();
    boolean changed = since.uidValidity() != 0 && since.uidValidity() != validity;
    long after = changed ? 0 : since.lastUid();

    // "UID FETCH n:* (UID)" lists only the UIDs; sizes and envelopes are fetched for the batch.
    // A server answers "n:*" with its last message even when that message's UID is below n
    // (RFC 3501 6.4.8), hence the filter.
    Message[] found = inbox.getMessagesByUID(after + 1, UIDFolder.LASTUID);
    List<Message> fresh = new ArrayList<>();
    for (Message message : found) {
      if (message != null && inbox.getUID(message) > after) {
        fresh.add(message);
      }
    }
    fresh.sort(Comparator.comparingLong(m -> uid(inbox, m)));
    int limit = Math.min(fresh.size(), properties.maxMessagesPerPoll());
    Message[] batch = fresh.subList(0, limit).toArray(Message[]::new);
    FetchProfile profile = new FetchProfile();
    profile.add(FetchProfile.Item.ENVELOPE); // with INTERNALDATE and RFC822.SIZE
    profile.add(UIDFolder.FetchProfileItem.UID);
    inbox.fetch(batch, profile);

    List<InboxBatch.Message> messages = new ArrayList<>();
    long last = after;
    long bytes = 0;
    int skipped = 0;
    int taken = 0;
    for (Message message : batch) {
      int size = Math.max(0, message.getSize());
      if (!messages.isEmpty() && bytes + size > properties.maxBytesPerPoll().toBytes()) {
        break;
      }
      taken++;
      long uid = inbox.getUID(message);
      last = uid;
      if (isOwnCopy((IMAPMessage) message, account)) {
        skipped++;
        continue;
      }
      boolean truncated = size > properties.maxMessageSize().toBytes();
      byte[] raw = truncated ? headersOnly(message) : whole(message);
      bytes += raw.length;
      Instant received =
          message.getReceivedDate() == null ? null : message.getReceivedDate().toInstant();
      messages.add(new InboxBatch.Message(uid, raw, received, truncated));
    }
    boolean more = taken < fresh.size();
    return new InboxBatch(messages, new InboxCursor(validity, last), changed, more, skipped);
  }

  private static long uid(IMAPFolder inbox, Message message) {
    try {
      return inbox.getUID(message);
    } catch (MessagingException e) {
      throw new IllegalStateException("UID of a fetched message is unknown", e);
    }
  }

  /** The mailbox's own sent copies: from its own address, or with a Message-ID of ours. */
  private static boolean isOwnCopy(IMAPMessage message, ImapAccount account)
      throws MessagingException {
    if (account.mailboxAddress() != null) {
      Address[] from = message.getFrom();
      if (from != null) {
        for (Address address : from) {
          if (address instanceof InternetAddress internet
              && internet.getAddress() != null
              && internet.getAddress().toLowerCase(Locale.ROOT).equals(account.mailboxAddress())) {
            return true;
          }
        }
      }
    }
    String messageId = message.getMessageID();
    return InboundMatching.parseOurs(messageId).isPresent();
  }

  private static byte[] whole(Message message) throws MessagingException, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, message.getSize()));
    message.writeTo(out);
    return out.toByteArray();
  }

  private static byte[] headersOnly(Message message) throws MessagingException {
    StringBuilder headers = new StringBuilder();
    Enumeration<String> lines = ((IMAPMessage) message).getAllHeaderLines();
    while (lines.hasMoreElements()) {
      headers.append(lines.nextElement()).append("\r\n");
    }
    return headers.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  private Store connect(ImapAccount account) throws InboxException {
    String protocol = account.tls() ? "imaps" : "imap";
    Session session = Session.getInstance(sessionProperties(protocol));
    try {
      Store store = session.getStore(protocol);
      store.connect(account.host(), account.port(), account.username(), account.password());
      return store;
    } catch (MessagingException e) {
      throw failure(account, e);
    }
  }

  private static IMAPFolder openInbox(Store store) throws MessagingException {
    Folder folder = store.getFolder("INBOX");
    if (!(folder instanceof IMAPFolder inbox)) {
      throw new MessagingException("the store is not IMAP");
    }
    inbox.open(Folder.READ_ONLY);
    return inbox;
  }

  private Properties sessionProperties(String protocol) {
    Properties p = new Properties();
    String prefix = "mail." + protocol + ".";
    p.setProperty(prefix + "connectiontimeout", millis(properties.connectTimeout()));
    p.setProperty(prefix + "timeout", millis(properties.readTimeout()));
    p.setProperty(prefix + "writetimeout", millis(properties.readTimeout()));
    // Belt and braces next to READ_ONLY: fetching a body never sets \Seen.
    p.setProperty(prefix + "peek", "true");
    p.setProperty(prefix + "ssl.checkserveridentity", "true");
    p.setProperty(prefix + "fetchsize", "65536");
    return p;
  }

  private static String millis(Duration duration) {
    return Long.toString(duration.toMillis());
  }

  /** Sorts a failure by what the caller should do; the message names the server, not the user. */
  private static InboxException failure(ImapAccount account, Exception e) {
    String where = account.host() + ":" + account.port();
    if (e instanceof AuthenticationFailedException) {
      return new InboxException(Kind.AUTHENTICATION, "IMAP login refused by " + where, e);
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedIOException
          || t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof SocketException
          || t instanceof jakarta.mail.StoreClosedException
          || t instanceof jakarta.mail.FolderClosedException
          || (t instanceof IOException && !(t instanceof java.io.UnsupportedEncodingException))) {
        return new InboxException(Kind.UNAVAILABLE, "IMAP server " + where + " unavailable", e);
      }
    }
    return new InboxException(Kind.PROTOCOL, "IMAP server " + where + " answered unexpectedly", e);
  }

  private static void closeQuietly(Folder folder) {
    try {
      if (folder.isOpen()) {
        folder.close(false);
      }
    } catch (MessagingException e) {
      // Closing a read-only folder changes nothing on the server; a failure here loses nothing.
    }
  }

  private static void closeQuietly(Store store) {
    if (store == null) {
      return;
    }
    try {
      store.close();
    } catch (MessagingException e) {
      // The poll's result is complete; a failed LOGOUT loses nothing.
    }
  }
}
