package dev.outbound.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageTextTest {

  @Test
  void keepsWhatTheSenderWroteAboveTheQuote() {
    assertThat(MessageText.fresh("Yes!\n\nOn Mon, 4 Jan 2027, Sam <s@a.example> wrote:\n> hi"))
        .isEqualTo("Yes!");
    assertThat(MessageText.fresh("Ja.\nAm 04.01.2027 um 10:00 schrieb Sam <s@a.example>:\n> x"))
        .isEqualTo("Ja.");
    assertThat(MessageText.fresh("Oui.\nLe lun. 4 janv. 2027 à 10:00, Sam a écrit :\n> x"))
        .isEqualTo("Oui.");
    assertThat(MessageText.fresh("Sí.\n-----Mensaje original-----\nDe: Sam")).isEqualTo("Sí.");
    assertThat(MessageText.fresh("Ok.\n________________________________\nFrom: Sam"))
        .isEqualTo("Ok.");
  }

  @Test
  void recognisesAnOutlookHeaderBlockAndAWrappedGmailLine() {
    assertThat(
            MessageText.fresh(
                "Gerne.\n\nVon: Sam <s@a.example>\nGesendet: Montag, 4. Januar 2027\nAn: x"))
        .isEqualTo("Gerne.");
    assertThat(
            MessageText.fresh(
                "Sure.\n\nOn Mon, Jan 4, 2027 at 9:12 AM Sam Sales from Acme <\n"
                    + "sales@acme-agency.example> wrote:\n\nquoted without markers"))
        .isEqualTo("Sure.");
  }

  @Test
  void dropsQuotedLinesInTheMiddle() {
    assertThat(MessageText.fresh("> your question\nmy answer\n> another\nsecond answer"))
        .isEqualTo("my answer\nsecond answer");
  }

  @Test
  void aLineThatMerelyStartsWithOnIsNotAQuoteHeader() {
    assertThat(MessageText.fresh("On Monday I can talk.\nThanks"))
        .isEqualTo("On Monday I can talk.\nThanks");
  }

  @Test
  void htmlLosesItsQuotedBlocksAndTags() {
    assertThat(
            Text.normalise(
                Text.htmlToText(
                    "<p>Hello&nbsp;there, caf&eacute;</p><blockquote>quoted</blockquote><p>end</p>")))
        .isEqualTo("hello there, café end");
  }
}
