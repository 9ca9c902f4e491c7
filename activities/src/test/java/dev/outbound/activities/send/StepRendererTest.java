package dev.outbound.activities.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import dev.outbound.workflows.SendOutcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering a step for its lead, without a database or a mail server. */
class StepRendererTest {

  private static final URI LINK = URI.create("https://links.example.test/u/token");

  private final UnsubscribeTokens tokens =
      new UnsubscribeTokens(
          "step-renderer-test-secret-of-32-bytes-or-more",
          List.of(),
          URI.create("https://links.example.test"),
          null);
  private final StepRenderer renderer =
      new StepRenderer(tokens, new OutboundMetrics(new SimpleMeterRegistry()));

  @Test
  void rendersTheStepWithTheUnsubscribeFooterInBothParts() {
    SendContext context =
        SendContexts.step(1, "Hello {{firstName}}", "Hi {{firstName}} at {{company}}", null);

    Rendered email = renderer.render(context);

    String url = tokens.url(tokens.issue(SendContexts.CLIENT, SendContexts.LEAD)).toString();
    assertThat(email.subject()).isEqualTo("Hello Ada");
    assertThat(email.text())
        .isEqualTo(
            "Hi Ada at Engines & <Co>\n\n-- \nTo stop receiving these emails: " + url + "\n");
    assertThat(email.html())
        .startsWith("<!DOCTYPE html>\n<html><body>Hi Ada at Engines &amp; &lt;Co&gt;")
        .contains("<a href=\"" + url + "\">unsubscribe</a>")
        .endsWith("</p>\n</body></html>\n");
    assertThat(email.toString()).doesNotContain("Ada");
  }

  @Test
  void aFollowUpWithoutItsOwnSubjectAnswersTheFirstEmail() {
    assertThat(renderer.render(SendContexts.step(2, " ", "Again", "Hello {{firstName}}")).subject())
        .isEqualTo("Re: Hello Ada");
    assertThat(renderer.render(SendContexts.step(2, "Own", "Again", "Hello")).subject())
        .isEqualTo("Own");
    // Step 1 with a blank subject keeps it blank: there is nothing to answer.
    assertThat(renderer.render(SendContexts.step(1, "", "Hi", "Hello")).subject()).isEmpty();
  }

  @Test
  void theFooterCarriesTheClientsPostalAddressEscapedInHtml() {
    assertThat(StepRenderer.textFooter(LINK, " Acme & Co\n1 Way \n"))
        .isEqualTo("\n\n-- \nTo stop receiving these emails: " + LINK + "\nAcme & Co\n1 Way\n");
    assertThat(StepRenderer.htmlFooter(LINK, "Acme & Co\r\n1 <Way>"))
        .isEqualTo(
            "<p style=\"font-size:12px;color:#777\">To stop receiving these emails, <a href=\""
                + LINK
                + "\">unsubscribe</a>.<br>\nAcme &amp; Co<br>\n1 &lt;Way&gt;</p>\n");
  }

  @Test
  void aVariableWithoutValueHoldsTheLeadNamingTheVariableNotTheLead() {
    assertThatThrownBy(
            () -> renderer.render(SendContexts.step(1, "Hi", "{{fields.nickname}}", null)))
        .isInstanceOfSatisfying(
            StepAnswer.class,
            answer -> {
              assertThat(answer.result().outcome()).isEqualTo(SendOutcome.HELD);
              assertThat(answer.result().detail())
                  .contains("fields.nickname")
                  .doesNotContain("ada@example.test");
            });
  }

  @Test
  void aSubjectWithALineBreakHoldsTheLead() {
    assertThatThrownBy(() -> renderer.render(SendContexts.step(3, "Hi\r\nBcc: x", "Body", null)))
        .isInstanceOfSatisfying(
            StepAnswer.class,
            answer ->
                assertThat(answer.result().detail())
                    .isEqualTo("the subject of step 3 contains a line break"));
  }
}
