package dev.outbound.api.hooks;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.api.web.InvalidRequestException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.crm.admin.ChangeOutcome;
import dev.outbound.crm.admin.LeadChangeStore;
import dev.outbound.crm.inbound.InboundStore;
import dev.outbound.vocabulary.address.SuppressionValues;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.workflows.StopReason;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A booking tool reports that a lead booked a meeting: {@code POST /hooks/meetings/{clientId}} with
 * {@code {"email": ..., "startsAt": ..., "campaignId": ...}}, signed with the client's webhook
 * secret ({@code X-Outbound-Timestamp}, {@code X-Outbound-Signature}). Every enrolment of that
 * address in the client's campaigns (or in the one campaign given) becomes {@code MEETING_BOOKED},
 * its timeline records the meeting, and its sequence stops. The client gets its URL and secret from
 * {@code GET /api/v1/webhooks/meetings} with its API key.
 */
@RestController
@EnableConfigurationProperties(WebhookProperties.class)
class MeetingWebhookController {

  static final String TIMESTAMP = "X-Outbound-Timestamp";
  static final String SIGNATURE = "X-Outbound-Signature";
  private static final int MAX_BODY = 16 * 1024;

  /** A booking. {@code campaignId} narrows it to one campaign; {@code note} is for the timeline. */
  record Booking(String email, String startsAt, Long campaignId, String note) {}

  /** What the booking changed. */
  record BookingResult(List<Long> leads, int alreadyFinal) {}

  /** Where a client's booking tool posts, and the secret it signs with. */
  record WebhookSetup(URI url, String secret, String timestampHeader, String signatureHeader) {}

  private final WebhookProperties properties;
  private final WebhookSignatures signatures;
  private final InboundStore inbound;
  private final LeadChangeStore leads;
  private final WorkflowSignals signals;
  private final JsonMapper json;
  private final Clock clock = Clock.systemUTC();

  MeetingWebhookController(
      WebhookProperties properties,
      InboundStore inbound,
      LeadChangeStore leads,
      WorkflowSignals signals,
      JsonMapper json) {
    this.properties = properties;
    this.signatures = new WebhookSignatures(properties.secret());
    this.inbound = inbound;
    this.leads = leads;
    this.signals = signals;
    this.json = json;
  }

  @GetMapping("/api/v1/webhooks/meetings")
  @Operation(
      summary = "The meeting-booked webhook of the caller's client",
      description =
          "The URL a booking tool posts to and the secret it signs with: header"
              + " X-Outbound-Timestamp (Unix seconds) and X-Outbound-Signature ="
              + " sha256=hex(HMAC-SHA256(secret, timestamp + '.' + body)). 404 when webhooks are"
              + " off (OUTBOUND_WEBHOOK_SECRET unset).")
  WebhookSetup setup(ClientId client) {
    requireEnabled();
    URI url =
        ServletUriComponentsBuilder.fromCurrentContextPath()
            .path("/hooks/meetings/{client}")
            .buildAndExpand(client.value())
            .toUri();
    return new WebhookSetup(url, signatures.clientSecret(client.value()), TIMESTAMP, SIGNATURE);
  }

  @PostMapping(path = "/hooks/meetings/{clientId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "A booking tool reports a meeting (signed, no API key)",
      description =
          "Marks every enrolment of the address MEETING_BOOKED (or only the one in campaignId)"
              + " and stops its sequence. Answers 401 for a missing, wrong or stale signature,"
              + " 400 for a bad body; leads that bounced or unsubscribed are left as they are.")
  BookingResult booked(
      @PathVariable long clientId,
      @RequestHeader(name = TIMESTAMP, required = false) String timestamp,
      @RequestHeader(name = SIGNATURE, required = false) String signature,
      @RequestBody byte[] body) {
    requireEnabled();
    long sentAt = verify(clientId, timestamp, signature, body);
    Booking booking = parse(body);
    String email =
        SuppressionValues.parseAddress(booking.email() == null ? "" : booking.email())
            .orElseThrow(() -> new InvalidRequestException("email", "must be an email address"));
    String startsAt = null;
    if (booking.startsAt() != null) {
      try {
        startsAt = Instant.parse(booking.startsAt()).toString();
      } catch (DateTimeParseException e) {
        throw new InvalidRequestException(
            "startsAt", "must be an ISO-8601 instant, e.g. 2026-12-01T15:00:00Z");
      }
    }
    String detail =
        "meeting booked"
            + (startsAt == null ? "" : " for " + startsAt)
            + " (booking webhook, signed at "
            + Instant.ofEpochSecond(sentAt)
            + ")"
            + (booking.note() == null || booking.note().isBlank()
                ? ""
                : ": " + truncate(booking.note().replaceAll("[\\r\\n\\x00]", " "), 200));
    List<Long> changed = new ArrayList<>();
    int alreadyFinal = 0;
    for (InboundStore.Match lead : inbound.enrolmentsOf(clientId, email)) {
      if (booking.campaignId() != null && lead.campaignId() != booking.campaignId()) {
        continue;
      }
      // A booking cannot change a lead that asked to be left alone, cannot be mailed, or has one.
      if (LeadStatus.parse(lead.status())
          .map(status -> !LeadStatus.MEETING_BOOKED.allowedFrom().contains(status))
          .orElse(false)) {
        alreadyFinal++;
        continue;
      }
      var result =
          leads.markTerminal(
              clientId, lead.enrolmentId(), "MEETING_BOOKED", detail, "MEETING_BOOKED (webhook)");
      if (result.outcome() != ChangeOutcome.CHANGED) {
        alreadyFinal++;
        continue;
      }
      changed.add(lead.enrolmentId());
      if (result.state().started()
          && LeadStatus.parse(result.previousStatus()).map(s -> !s.isTerminal()).orElse(false)) {
        signals.stopLead(
            clientId, lead.campaignId(), lead.enrolmentId(), StopReason.MEETING_BOOKED);
      }
    }
    return new BookingResult(changed, alreadyFinal);
  }

  private void requireEnabled() {
    if (!properties.enabled()) {
      throw new NotFoundException("webhook", 0);
    }
  }

  /** The request's timestamp when its signature is genuine and recent; 401 otherwise. */
  private long verify(long clientId, String timestamp, String signature, byte[] body) {
    if (body.length > MAX_BODY) {
      throw new InvalidRequestException("body", "at most " + MAX_BODY + " bytes");
    }
    long sentAt;
    try {
      sentAt = Long.parseLong(timestamp == null ? "" : timestamp.strip());
    } catch (NumberFormatException e) {
      throw new UnauthorizedWebhookException(TIMESTAMP + " must be Unix seconds");
    }
    long age = Math.abs(clock.instant().getEpochSecond() - sentAt);
    if (age > properties.tolerance().toSeconds()) {
      throw new UnauthorizedWebhookException(
          TIMESTAMP + " is more than " + properties.tolerance().toSeconds() + " s from now");
    }
    if (!signatures.verify(clientId, sentAt, body, signature)) {
      throw new UnauthorizedWebhookException(SIGNATURE + " does not match the body");
    }
    return sentAt;
  }

  private Booking parse(byte[] body) {
    try {
      return json.readValue(body, Booking.class);
    } catch (JacksonException e) {
      throw new InvalidRequestException(
          "body", "must be JSON: {\"email\": ..., \"startsAt\": ..., \"campaignId\": ...}");
    }
  }

  private static String truncate(String value, int max) {
    return value.length() <= max ? value : value.substring(0, max) + "…";
  }
}
