package dev.outbound.api.unsubscribe;

import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.crm.suppression.Unsubscriptions;
import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import dev.outbound.workflows.StopReason;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /u/{token}} shows a confirmation page with a button; {@code POST /u/{token}} (the
 * mailbox provider's one-click {@code List-Unsubscribe=One-Click}, or that button) unsubscribes.
 * Whatever the POST body says, a genuine token unsubscribes: RFC 8058 asks for no more, and a
 * person who pressed a button must not be kept on the list by a missing form field.
 *
 * <p>The database is written first (suppression and statuses in one transaction), then the affected
 * lead workflows are signalled. A signal that is lost does no harm: the send activity checks the
 * status and the suppression list itself before it claims a step.
 */
@RestController
@Hidden
class UnsubscribeController {

  private static final Logger log = LoggerFactory.getLogger(UnsubscribeController.class);

  private static final MediaType HTML =
      new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8);

  private final UnsubscribeTokens tokens;
  private final Unsubscriptions unsubscriptions;
  private final WorkflowSignals signals;

  UnsubscribeController(
      UnsubscribeTokens tokens, Unsubscriptions unsubscriptions, WorkflowSignals signals) {
    this.tokens = tokens;
    this.unsubscriptions = unsubscriptions;
    this.signals = signals;
  }

  @GetMapping("/u/{token}")
  ResponseEntity<String> confirm(@PathVariable String token) {
    if (tokens.verify(token).isEmpty()) {
      return unknown();
    }
    // The form posts back to this very URL; the token is URL-safe Base64, safe in an attribute.
    return page(
        HttpStatus.OK,
        "Unsubscribe",
        "<p>Do you want to stop receiving these emails?</p>\n"
            + "<form method=\"post\" action=\"/u/"
            + token
            + "\">\n<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n"
            + "<button type=\"submit\">Unsubscribe</button>\n</form>");
  }

  @PostMapping("/u/{token}")
  ResponseEntity<String> unsubscribe(@PathVariable String token) {
    Optional<UnsubscribeTokens.Subject> subject = tokens.verify(token);
    if (subject.isEmpty()) {
      return unknown();
    }
    long clientId = subject.get().clientId();
    long enrolmentId = subject.get().enrolmentId();
    Optional<List<Unsubscriptions.Changed>> changed =
        unsubscriptions.unsubscribe(
            clientId, enrolmentId, "unsubscribe link (lead " + enrolmentId + ")");
    if (changed.isEmpty()) {
      // A genuine token of a lead that was deleted since: nothing to do, and nothing to say.
      return done();
    }
    for (Unsubscriptions.Changed lead : changed.get()) {
      if (lead.mayStillRun()) {
        try {
          signals.stopLead(
              clientId, lead.campaignId(), lead.enrolmentId(), StopReason.UNSUBSCRIBED);
        } catch (RuntimeException e) {
          // The status is already UNSUBSCRIBED: the send activity stops the lead at its next step.
          log.warn(
              "Lead {} (campaign {}) is unsubscribed; its workflow was not signalled: {}",
              lead.enrolmentId(),
              lead.campaignId(),
              e.getMessage());
        }
      }
    }
    log.info(
        "Unsubscribe by link for lead {} of client {}: {} enrolment(s) changed",
        enrolmentId,
        clientId,
        changed.get().size());
    return done();
  }

  private static ResponseEntity<String> done() {
    return page(
        HttpStatus.OK,
        "Unsubscribed",
        "<p>You are unsubscribed and will not receive these emails again.</p>");
  }

  /** One answer for every bad token, so that a caller learns nothing about why. */
  private static ResponseEntity<String> unknown() {
    return page(
        HttpStatus.NOT_FOUND,
        "Link not valid",
        "<p>This unsubscribe link is not valid. Please use the link from the email as it is.</p>");
  }

  private static ResponseEntity<String> page(HttpStatus status, String title, String body) {
    String html =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"robots\" content=\"noindex\"><title>"
            + title
            + "</title></head>\n<body style=\"font-family:sans-serif;max-width:32em;margin:3em auto\">"
            + "<h1>"
            + title
            + "</h1>\n"
            + body
            + "\n</body></html>\n";
    return ResponseEntity.status(status)
        .contentType(HTML)
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .body(html);
  }
}
