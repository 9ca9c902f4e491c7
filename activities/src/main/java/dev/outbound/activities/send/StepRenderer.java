package dev.outbound.activities.send;

import dev.outbound.activities.metrics.DeferralReason;
import dev.outbound.activities.metrics.OutboundMetrics;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.vocabulary.template.MissingVariableException;
import dev.outbound.vocabulary.template.Template;
import dev.outbound.vocabulary.template.TemplateException;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import dev.outbound.workflows.SendOutcome;
import dev.outbound.workflows.SendResult;
import java.net.URI;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Renders a step for its lead: the subject, the plain-text body, and its HTML alternative, both
 * with the unsubscribe footer. It runs before the mailbox is looked at and before anything is
 * claimed, so that a template that cannot be rendered holds the lead without touching either.
 */
@Component
class StepRenderer {

  private final UnsubscribeTokens unsubscribeTokens;
  private final OutboundMetrics metrics;

  StepRenderer(UnsubscribeTokens unsubscribeTokens, OutboundMetrics metrics) {
    this.unsubscribeTokens = unsubscribeTokens;
    this.metrics = metrics;
  }

  /**
   * The step's email for its lead.
   *
   * @throws StepAnswer {@link SendOutcome#HELD} when a variable has no value, the template is
   *     broken, or the subject would contain a line break; the reason names the variable or the
   *     template position, never a lead's value
   */
  Rendered render(SendContext context) {
    URI unsubscribeUrl =
        unsubscribeTokens.url(unsubscribeTokens.issue(context.clientId(), context.enrolmentId()));
    Rendered rendered;
    try {
      rendered = render(context, unsubscribeUrl, context.client().postalAddress());
    } catch (MissingVariableException | TemplateException e) {
      metrics.deferred(DeferralReason.TEMPLATE_PROBLEM);
      throw new StepAnswer(SendResult.of(SendOutcome.HELD, null, e.getMessage()));
    }
    if (Headers.hasLineBreak(rendered.subject())) {
      throw new StepAnswer(
          SendResult.of(
              SendOutcome.HELD,
              null,
              "the subject of step " + context.stepIndex() + " contains a line break"));
    }
    return rendered;
  }

  /**
   * The email with the footer: a follow-up without its own subject answers the first email with
   * "Re:", like a person would. Values in the subject lose their control characters; the body is
   * plain text, and its HTML alternative is escaped as a whole (see {@link #html(String)}).
   */
  static Rendered render(SendContext context, URI unsubscribeUrl, String postalAddress) {
    Map<String, String> values = LeadValues.of(context.lead());
    String subject;
    if (context.stepIndex() > 1
        && context.subject().isBlank()
        && context.firstStepSubject() != null) {
      subject =
          "Re: "
              + Template.parse(context.firstStepSubject()).render(values, Template::stripControl);
    } else {
      subject = Template.parse(context.subject()).render(values, Template::stripControl);
    }
    String text = Template.parse(context.body()).render(values, Template::plain);
    return new Rendered(
        subject,
        text + textFooter(unsubscribeUrl, postalAddress),
        html(text, htmlFooter(unsubscribeUrl, postalAddress)));
  }

  /**
   * The plain-text footer: the unsubscribe link and, when the client has one, its postal address
   * (CAN-SPAM asks for both in every commercial email).
   */
  static String textFooter(URI unsubscribeUrl, String postalAddress) {
    StringBuilder footer = new StringBuilder("\n\n-- \nTo stop receiving these emails: ");
    footer.append(unsubscribeUrl);
    if (postalAddress != null) {
      footer.append('\n').append(postalAddress.strip());
    }
    return footer.append('\n').toString();
  }

  /** The HTML footer, with the same content as {@link #textFooter}; every value escaped. */
  static String htmlFooter(URI unsubscribeUrl, String postalAddress) {
    String url = Template.escapeHtml(unsubscribeUrl.toString());
    StringBuilder footer =
        new StringBuilder("<p style=\"font-size:12px;color:#777\">To stop receiving these emails, ")
            .append("<a href=\"")
            .append(url)
            .append("\">unsubscribe</a>.");
    if (postalAddress != null) {
      footer
          .append("<br>\n")
          .append(
              Template.escapeHtml(postalAddress.strip())
                  .replace("\r\n", "\n")
                  .replace("\n", "<br>\n"));
    }
    return footer.append("</p>\n").toString();
  }

  /**
   * The HTML alternative of a plain-text body. The whole rendered text is escaped (not just the
   * values), because the body is authored as plain text and is sent as such too: a "<" the author
   * typed must show as "<" in both parts, and no lead value can become markup.
   */
  static String html(String text) {
    return html(text, "");
  }

  /** {@link #html(String)} with a footer of ready-made (escaped) HTML after the body. */
  static String html(String text, String footerHtml) {
    String escaped = Template.escapeHtml(text).replace("\r\n", "\n").replace("\n", "<br>\n");
    return "<!DOCTYPE html>\n<html><body>" + escaped + footerHtml + "</body></html>\n";
  }
}
