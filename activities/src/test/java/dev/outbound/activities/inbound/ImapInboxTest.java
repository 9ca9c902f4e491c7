package dev.outbound.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.outbound.activities.inbound.Classification.Bounce;
import dev.outbound.activities.inbound.Classification.BounceType;
import dev.outbound.activities.inbound.InboxException.Kind;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

/** The poller against a real IMAP server (GreenMail, on a free port). */
@Tag("slow")
class ImapInboxTest {

  @RegisterExtension
  static final GreenMailExtension greenMail =
      new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

  private static final String MAILBOX = "sales@acme-agency.example";
  private static final String PASSWORD = "imap-secret";
  private static final AtomicInteger SEQ = new AtomicInteger();

  private GreenMailUser user;
  private ImapAccount account;
  private final ImapInbox inbox = new ImapInbox(properties(200, DataSize.ofMegabytes(2)));

  @BeforeEach
  void mailbox() {
    user = greenMail.setUser(MAILBOX, MAILBOX, PASSWORD);
    account =
        new ImapAccount(
            "127.0.0.1", greenMail.getImap().getPort(), false, MAILBOX, PASSWORD, MAILBOX);
  }

  private static InboundProperties properties(int maxMessages, DataSize maxMessageSize) {
    return new InboundProperties(
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        maxMessages,
        DataSize.ofMegabytes(25),
        maxMessageSize);
  }

  private void deliver(String from, String messageId, String body) throws Exception {
    String raw =
        "From: "
            + from
            + "\r\nTo: "
            + MAILBOX
            + "\r\nSubject: Re: Quick question\r\nDate: Tue, 5 Jan 2027 09:00:00 +0000\r\n"
            + "Message-ID: "
            + messageId
            + "\r\nIn-Reply-To: <outbound.c12.l345.s1@acme-agency.example>\r\n\r\n"
            + body
            + "\r\n";
    user.deliver(InboundClassifier.parse(raw.getBytes(StandardCharsets.UTF_8)));
  }

  private void deliverReply(String body) throws Exception {
    int n = SEQ.incrementAndGet();
    deliver("Lead " + n + " <lead" + n + "@example.com>", "<reply-" + n + "@example.com>", body);
  }

  @Test
  void returnsNewMessagesInUidOrderAndWhereToContinue() throws Exception {
    deliverReply("one");
    deliverReply("two");
    deliverReply("three");

    InboxBatch first = inbox.poll(account, InboxCursor.start());

    assertThat(first.messages()).hasSize(3);
    assertThat(first.messages())
        .extracting(m -> new String(m.raw(), StandardCharsets.UTF_8).contains("two"))
        .containsExactly(false, true, false);
    List<Long> uids = first.messages().stream().map(InboxBatch.Message::uid).toList();
    assertThat(uids).isSorted().doesNotHaveDuplicates();
    assertThat(first.next().lastUid()).isEqualTo(uids.get(2));
    assertThat(first.next().uidValidity()).isPositive();
    assertThat(first.uidValidityChanged()).isFalse();
    assertThat(first.more()).isFalse();
    assertThat(first.messages().get(0).receivedAt()).isNotNull();

    InboxBatch again = inbox.poll(account, first.next());
    assertThat(again.messages()).isEmpty();
    assertThat(again.next()).isEqualTo(first.next());

    deliverReply("four");
    InboxBatch later = inbox.poll(account, first.next());
    assertThat(later.messages()).hasSize(1);
    assertThat(new String(later.messages().get(0).raw(), StandardCharsets.UTF_8)).contains("four");
  }

  @Test
  void returnsABoundedBatchPerPollAndSaysThereIsMore() throws Exception {
    for (int i = 0; i < 5; i++) {
      deliverReply("message " + i);
    }
    ImapInbox small = new ImapInbox(properties(2, DataSize.ofMegabytes(2)));

    List<Integer> sizes = new ArrayList<>();
    List<Boolean> more = new ArrayList<>();
    InboxCursor cursor = InboxCursor.start();
    for (int i = 0; i < 3; i++) {
      InboxBatch batch = small.poll(account, cursor);
      sizes.add(batch.messages().size());
      more.add(batch.more());
      cursor = batch.next();
    }

    assertThat(sizes).containsExactly(2, 2, 1);
    assertThat(more).containsExactly(true, true, false);
  }

  @Test
  void passesOverTheMailboxsOwnSentCopiesButMovesBeyondThem() throws Exception {
    deliver("Sam <SALES@acme-agency.example>", "<copy-1@acme-agency.example>", "own copy");
    deliver("Other <other@example.com>", "<outbound.c12.l99.s1@acme-agency.example>", "ours");
    deliverReply("a real reply");

    InboxBatch batch = inbox.poll(account, InboxCursor.start());

    assertThat(batch.skippedOwnCopies()).isEqualTo(2);
    assertThat(batch.messages()).hasSize(1);
    assertThat(new String(batch.messages().get(0).raw(), StandardCharsets.UTF_8))
        .contains("a real reply");
    assertThat(inbox.poll(account, batch.next()).skippedOwnCopies()).isZero();
  }

  @Test
  void marksNothingAsRead() throws Exception {
    deliverReply("unread");

    inbox.poll(account, InboxCursor.start());

    Properties props = new Properties();
    Store store = Session.getInstance(props).getStore("imap");
    store.connect("127.0.0.1", greenMail.getImap().getPort(), MAILBOX, PASSWORD);
    try {
      Folder folder = store.getFolder("INBOX");
      folder.open(Folder.READ_ONLY);
      Message message = folder.getMessage(1);
      assertThat(message.getFlags().contains(Flags.Flag.SEEN)).isFalse();
      folder.close(false);
    } finally {
      store.close();
    }
  }

  @Test
  void startsOverWhenUidValidityChanged() throws Exception {
    deliverReply("one");
    deliverReply("two");
    InboxBatch first = inbox.poll(account, InboxCursor.start());

    InboxCursor stale = new InboxCursor(first.next().uidValidity() + 1, first.next().lastUid());
    InboxBatch batch = inbox.poll(account, stale);

    assertThat(batch.uidValidityChanged()).isTrue();
    assertThat(batch.messages()).hasSize(2);
    assertThat(batch.next()).isEqualTo(first.next());
  }

  @Test
  void positionPointsPastTheLastMessage() throws Exception {
    deliverReply("old");

    InboxCursor now = inbox.position(account);
    deliverReply("new");
    InboxBatch batch = inbox.poll(account, now);

    assertThat(batch.messages()).hasSize(1);
    assertThat(new String(batch.messages().get(0).raw(), StandardCharsets.UTF_8)).contains("new");
  }

  @Test
  void returnsOnlyTheHeadersOfAnOversizedMessage() throws Exception {
    deliverReply("x".repeat(10_000));
    ImapInbox strict = new ImapInbox(properties(200, DataSize.ofKilobytes(2)));

    InboxBatch batch = strict.poll(account, InboxCursor.start());

    InboxBatch.Message message = batch.messages().get(0);
    assertThat(message.truncated()).isTrue();
    String raw = new String(message.raw(), StandardCharsets.UTF_8);
    assertThat(raw).contains("In-Reply-To: <outbound.c12.l345.s1@acme-agency.example>");
    assertThat(raw).doesNotContain("xxxxxxxxxx");
  }

  @Test
  void fetchedBouncesClassifyLikeTheirFiles() throws Exception {
    MimeMessage bounce = InboundClassifier.parse(InboundCorpusTest.read("dsn-postfix-hard.eml"));
    user.deliver(bounce);

    InboxBatch batch = inbox.poll(account, InboxCursor.start());

    Classification result = new InboundClassifier().classify(batch.messages().get(0).raw());
    assertThat(result).isInstanceOf(Bounce.class);
    assertThat(((Bounce) result).type()).isEqualTo(BounceType.HARD);
    assertThat(((Bounce) result).originalMessageId())
        .isEqualTo("<outbound.c12.l345.s1@acme-agency.example>");
  }

  @Test
  void aRefusedLoginIsAnAuthenticationFailure() {
    ImapAccount wrong =
        new ImapAccount(
            "127.0.0.1", greenMail.getImap().getPort(), false, MAILBOX, "wrong", MAILBOX);

    assertThatThrownBy(() -> inbox.poll(wrong, InboxCursor.start()))
        .isInstanceOf(InboxException.class)
        .satisfies(e -> assertThat(((InboxException) e).kind()).isEqualTo(Kind.AUTHENTICATION))
        .hasMessageNotContaining("wrong");
  }

  @Test
  void aServerThatNeverAnswersIsUnavailableNotAHang() throws Exception {
    ImapInbox impatient =
        new ImapInbox(
            new InboundProperties(
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                200,
                DataSize.ofMegabytes(25),
                DataSize.ofMegabytes(2)));
    try (ServerSocket silent = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                try (Socket ignored = silent.accept()) {
                  Thread.sleep(60_000);
                } catch (IOException | InterruptedException e) {
                  // The test is over.
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      ImapAccount account =
          new ImapAccount("127.0.0.1", silent.getLocalPort(), false, MAILBOX, PASSWORD, MAILBOX);

      assertThatThrownBy(() -> impatient.poll(account, InboxCursor.start()))
          .isInstanceOf(InboxException.class)
          .satisfies(e -> assertThat(((InboxException) e).kind()).isEqualTo(Kind.UNAVAILABLE));
      acceptor.interrupt();
    }
  }

  @Test
  void aClosedPortIsUnavailable() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    ImapAccount nobody = new ImapAccount("127.0.0.1", port, false, MAILBOX, PASSWORD, MAILBOX);

    assertThatThrownBy(() -> inbox.poll(nobody, InboxCursor.start()))
        .isInstanceOf(InboxException.class)
        .satisfies(e -> assertThat(((InboxException) e).kind()).isEqualTo(Kind.UNAVAILABLE));
  }

  @Test
  void theAccountNeverPrintsItsPassword() {
    assertThat(account.toString()).doesNotContain(PASSWORD);
  }
}
