package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of sending that need no server: failure sorting, HTML, header checks. */
class SmtpMailerTest {

  @Test
  void aFailureWithoutReplyIsTransientBeforeTheContentAndAmbiguousAfterIt() {
    MessagingException down = new MessagingException("connect failed", new ConnectException());

    assertThat(SmtpMailer.classify(down, false).kind()).isEqualTo(SmtpFailure.Kind.TRANSIENT);
    assertThat(SmtpMailer.classify(down, true).kind()).isEqualTo(SmtpFailure.Kind.AMBIGUOUS);
  }

  @Test
  void describesFailuresByTypeNotByTheServersWords() {
    MessagingException e = new MessagingException("550 <ada@example.test> unknown");

    assertThat(SmtpMailer.classify(e, false).getMessage()).doesNotContain("ada@example.test");
  }

  @Test
  void escapesTheWholeBodyForTheHtmlPartAndKeepsItsLines() {
    assertThat(SendActivitiesImpl.html("a < b & c\nnext")).contains("a &lt; b &amp; c<br>\nnext");
  }

  @Test
  void refusesLineBreaksInHeaderValues() throws Exception {
    InternetAddress from = new InternetAddress("a@x.test");
    InternetAddress to = new InternetAddress("b@y.test");

    assertThatThrownBy(
            () ->
                new OutgoingEmail(
                    "<id@x.test>", from, to, "Hi\r\nBcc: c@z.test", "t", "h", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("c@z.test");
    assertThatThrownBy(
            () -> new OutgoingEmail("<id@x.test>", from, to, "Hi", "t", "h", List.of("<a>\n<b>")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
