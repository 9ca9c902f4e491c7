package dev.outbound.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.activities.inbound.InboundMatching.Keys;
import dev.outbound.activities.inbound.InboundMatching.OurMessageId;
import dev.outbound.activities.send.MessageIds;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InboundMatchingTest {

  private final InboundClassifier classifier = new InboundClassifier();

  @Test
  void normalisesMessageIdsLikeTheLedgerStoresThem() {
    assertThat(InboundMatching.normaliseMessageId("  <outbound.c1.l2.s3@Acme-Agency.EXAMPLE> "))
        .contains("<outbound.c1.l2.s3@acme-agency.example>");
    assertThat(InboundMatching.normaliseMessageId("CaseKept.Local@Example.COM"))
        .contains("<CaseKept.Local@example.com>");
    assertThat(InboundMatching.normaliseMessageId("<a@b.example> (comment)"))
        .contains("<a@b.example>");
    assertThat(InboundMatching.normaliseMessageId("no id here")).isEmpty();
    assertThat(InboundMatching.normaliseMessageId("")).isEmpty();
    assertThat(InboundMatching.normaliseMessageId(null)).isEmpty();
  }

  @Test
  void readsTheIdsOfAReferencesHeaderInOrderWithoutDuplicates() {
    assertThat(
            InboundMatching.messageIds(
                "<one@a.example>\r\n <two@B.example> <one@a.example>,<three@c.example>"))
        .containsExactly("<one@a.example>", "<two@b.example>", "<three@c.example>");
  }

  @Test
  void parsesOurOwnMessageIdsAndNothingElse() {
    String ours = MessageIds.of(12, 345, 2, "sales@Acme-Agency.example");

    assertThat(InboundMatching.parseOurs(ours))
        .contains(new OurMessageId(12, 345, 2, "acme-agency.example"));
    assertThat(InboundMatching.parseOurs("<outbound.c12.l345.s2@ACME-agency.example>"))
        .contains(new OurMessageId(12, 345, 2, "acme-agency.example"));
    assertThat(InboundMatching.parseOurs("<outbound.c12.l345@acme-agency.example>")).isEmpty();
    assertThat(InboundMatching.parseOurs("<outbound.cX.l345.s2@acme-agency.example>")).isEmpty();
    assertThat(InboundMatching.parseOurs("<CAF3k9xQ1b2Yp@mail.example.com>")).isEmpty();
    assertThat(InboundMatching.parseOurs("<outbound.c99999999999999999999.l1.s1@a.example>"))
        .isEmpty();
  }

  @Test
  void aReplyPointsAtTheStepItAnswersFirst() {
    MimeMessage message =
        InboundClassifier.parse(
            ("From: Ada <Ada.Lovelace@Example.com>\r\n"
                    + "To: sales@acme-agency.example\r\n"
                    + "Subject: Re: Quick question\r\n"
                    + "Date: Tue, 5 Jan 2027 09:13:58 +0100\r\n"
                    + "Message-ID: <reply-1@Example.com>\r\n"
                    + "In-Reply-To: <outbound.c12.l345.s2@acme-agency.example>\r\n"
                    + "References: <outbound.c12.l345.s1@acme-agency.example>\r\n"
                    + " <outbound.c12.l345.s2@acme-agency.example>\r\n"
                    + "\r\n"
                    + "Yes, let's talk.\r\n")
                .getBytes(StandardCharsets.US_ASCII));

    Keys keys = InboundMatching.of(message, classifier.classify(message));

    assertThat(keys.messageId()).isEqualTo("<reply-1@example.com>");
    assertThat(keys.candidates())
        .containsExactly(
            "<outbound.c12.l345.s2@acme-agency.example>",
            "<outbound.c12.l345.s1@acme-agency.example>");
    assertThat(keys.ours()).extracting(OurMessageId::step).containsExactly(2, 1);
    assertThat(keys.sender()).isEqualTo("ada.lovelace@example.com");
    assertThat(keys.subject()).isEqualTo("Re: Quick question");
    assertThat(keys.sentAt()).isEqualTo(Instant.parse("2027-01-05T08:13:58Z"));
  }

  @Test
  void aBouncePointsAtTheBouncedEmailEvenWithoutThreadingHeaders() throws IOException {
    MimeMessage bounce =
        InboundClassifier.parse(InboundCorpusTest.read("qmail-failure-notice.eml"));

    Keys keys = InboundMatching.of(bounce, classifier.classify(bounce));

    assertThat(keys.candidates()).containsExactly("<outbound.c12.l345.s1@acme-agency.example>");
    assertThat(keys.sender()).isEqualTo("mailer-daemon@mail.oldhost.example");
  }
}
