package dev.outbound.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.activities.inbound.Classification.AutoReply;
import dev.outbound.activities.inbound.Classification.AutoReplyKind;
import dev.outbound.activities.inbound.Classification.HumanReply;
import dev.outbound.activities.inbound.Classification.Unknown;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The rules of classification one at a time; the corpus test covers real-world shapes. */
class InboundClassifierTest {

  private final InboundClassifier classifier =
      new InboundClassifier(Clock.fixed(Instant.parse("2026-12-20T12:00:00Z"), ZoneOffset.UTC));

  private Classification classify(String headers, String body) {
    String raw =
        "From: Lead <lead@example.com>\r\nTo: sales@acme-agency.example\r\n"
            + headers
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + body;
    return classifier.classify(raw.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void autoSubmittedNoIsNotAutomatic() {
    assertThat(classify("Subject: Re: Hi\r\nAuto-Submitted: no\r\n", "Yes please."))
        .isEqualTo(new HumanReply(false));
  }

  @Test
  void everyRfc3834AutoSubmittedValueOtherThanNoIsAutomatic() {
    for (String value : new String[] {"auto-replied", "auto-generated", "auto-notified"}) {
      assertThat(classify("Subject: Re: Hi\r\nAuto-Submitted: " + value + "\r\n", "Thanks."))
          .as(value)
          .isEqualTo(new AutoReply(AutoReplyKind.AUTO_RESPONDER, null));
    }
  }

  @Test
  void theNonStandardAutoReplyHeadersCount() {
    for (String header :
        new String[] {
          "X-Autoreply: yes",
          "X-Autorespond: on",
          "X-Auto-Response-Suppress: All",
          "Precedence: auto_reply"
        }) {
      assertThat(classify("Subject: Re: Hi\r\n" + header + "\r\n", "Thanks."))
          .as(header)
          .isInstanceOf(AutoReply.class);
    }
  }

  @Test
  void precedenceBulkOrJunkIsBulk() {
    assertThat(classify("Subject: News\r\nPrecedence: junk\r\n", "Our offers."))
        .isEqualTo(new AutoReply(AutoReplyKind.BULK, null));
    assertThat(classify("Subject: News\r\nPrecedence: bulk\r\n", "Our offers."))
        .isEqualTo(new AutoReply(AutoReplyKind.BULK, null));
  }

  @Test
  void anOutOfOfficeWithoutADateHeaderIsDatedByTheClock() {
    assertThat(
            classify(
                "Subject: Out of office\r\nAuto-Submitted: auto-replied\r\n",
                "I will be back on 4 January."))
        .isEqualTo(new AutoReply(AutoReplyKind.OUT_OF_OFFICE, LocalDate.of(2027, 1, 4)));
  }

  @Test
  void aLongReplyThatSaysItsWriterIsAwayIsStillAReply() {
    String longReply =
        "I am out of the office until 5 January, but I read your email and I want to answer. "
            .repeat(20);
    assertThat(classify("Subject: Re: Hi\r\n", longReply)).isInstanceOf(HumanReply.class);
  }

  @Test
  void aShortReplyThatOnlySaysItsWriterIsAwayIsAnOutOfOffice() {
    assertThat(classify("Subject: Re: Hi\r\n", "I am out of the office until 5 January."))
        .isEqualTo(new AutoReply(AutoReplyKind.OUT_OF_OFFICE, LocalDate.of(2027, 1, 5)));
  }

  @Test
  void quotedOutOfOfficeTextDoesNotCount() {
    assertThat(
            classify(
                "Subject: Re: Hi\r\n",
                "Great, call me.\r\n\r\n> I am out of the office until 5 January.\r\n"))
        .isEqualTo(new HumanReply(false));
  }

  @Test
  void anEmptyMessageThatAnswersNothingIsUnknown() {
    assertThat(classify("Subject: \r\n", "")).isInstanceOf(Unknown.class);
    assertThat(classify("Subject: Re: Hi\r\n", "")).isInstanceOf(HumanReply.class);
  }

  @Test
  void garbageIsUnknownNotAnException() {
    assertThat(classifier.classify(new byte[] {0, 1, 2, (byte) 0xff, '\n', '\n'}))
        .isInstanceOf(Classification.class);
    assertThat(
            classifier.classify(
                ("Content-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nbroken")
                    .getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(Classification.class);
  }

  @Test
  void aPartInAnUnknownCharsetIsReadAnyway() {
    String raw =
        "From: lead@example.com\r\nSubject: Re: Hi\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nYes, interested.\r\n";
    assertThat(classifier.classify(raw.getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(new HumanReply(false));
  }
}
