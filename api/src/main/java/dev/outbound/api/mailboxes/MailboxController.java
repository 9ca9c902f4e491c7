package dev.outbound.api.mailboxes;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.api.web.Checks;
import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.api.web.WorkflowServiceUnavailableException;
import dev.outbound.crm.admin.DuplicateMailboxException;
import dev.outbound.crm.admin.MailboxStore;
import dev.outbound.crm.capacity.MailboxUsage;
import dev.outbound.crm.capacity.MailboxUsageStore;
import dev.outbound.vocabulary.network.HostPolicy;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/mailboxes")
class MailboxController {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(MailboxController.class);

  /** {@code 201} body. */
  record Created(long id) {}

  /** The zone of a mailbox created without one: its cap counts UTC days. */
  private static final String DEFAULT_ZONE = "UTC";

  private final MailboxStore mailboxes;
  private final MailboxUsageStore capacity;
  private final HostPolicy hosts;
  private final Clock clock = Clock.systemUTC();

  private final WorkflowSignals signals;

  MailboxController(
      MailboxStore mailboxes,
      MailboxUsageStore capacity,
      HostPolicy hosts,
      WorkflowSignals signals) {
    this.mailboxes = mailboxes;
    this.capacity = capacity;
    this.hosts = hosts;
    this.signals = signals;
  }

  @PostMapping
  ResponseEntity<Created> create(ClientId client, @Valid @RequestBody MailboxRequest request) {
    Checks checks = new Checks().timeZone("timezone", request.timezone());
    host(checks, "smtp.host", request.smtp());
    host(checks, "imap.host", request.imap());
    LocalDate startedOn = null;
    if (request.warmup() != null && request.warmup().startedOn() != null) {
      try {
        startedOn = LocalDate.parse(request.warmup().startedOn());
      } catch (DateTimeParseException e) {
        checks.add("warmup.startedOn", "must be a date as YYYY-MM-DD, e.g. 2026-11-02");
      }
    }
    checks.throwIfAny();
    long id;
    try {
      id = mailboxes.create(client.value(), toNew(request, startedOn));
    } catch (DuplicateMailboxException e) {
      throw new ConflictException("A mailbox with the address " + request.email() + " exists.");
    }
    if (request.imap() != null) {
      // Its replies must be read from the first send on. Should the workflow service not answer,
      // the worker starts the watcher on its next round (InboxWatcherStartup).
      try {
        signals.watchInbox(client.value(), id, false);
      } catch (WorkflowServiceUnavailableException e) {
        log.warn("Watcher of mailbox {} not started yet: the workflow service did not answer", id);
      }
    }
    return ResponseEntity.created(URI.create("/api/v1/mailboxes/" + id)).body(new Created(id));
  }

  @GetMapping("/{id}")
  @Operation(
      summary = "A mailbox with today's usage",
      description =
          "The mailbox's settings (never its passwords) and its capacity today, in its own time"
              + " zone: today's cap (warm-up aware), the send slots reserved and sent today, what"
              + " remains, and the next moment it could send.")
  MailboxView get(ClientId client, @PathVariable long id) {
    MailboxStore.Mailbox mailbox =
        mailboxes.find(client.value(), id).orElseThrow(() -> new NotFoundException("mailbox", id));
    MailboxUsage usage = capacity.usage(client.value(), id, clock.instant()).orElse(null);
    return MailboxView.of(mailbox, usage);
  }

  /** The worker will connect to this host: it must not be an internal address (SSRF). */
  private void host(Checks checks, String field, MailboxRequest.Server server) {
    if (server != null && server.host() != null) {
      hosts.refusal(server.host()).ifPresent(reason -> checks.add(field, reason));
    }
  }

  private MailboxStore.NewMailbox toNew(MailboxRequest r, LocalDate startedOn) {
    String zone = r.timezone() == null ? DEFAULT_ZONE : r.timezone();
    MailboxStore.Warmup warmup = null;
    if (r.warmup() != null) {
      // A warm-up without a start day starts today, on the mailbox's own calendar.
      LocalDate first =
          startedOn != null ? startedOn : LocalDate.now(clock.withZone(ZoneId.of(zone)));
      warmup = new MailboxStore.Warmup(r.warmup().startCap(), r.warmup().dailyIncrease(), first);
    }
    return new MailboxStore.NewMailbox(
        r.email(),
        r.displayName(),
        server(r.smtp()),
        server(r.imap()),
        r.dailyCap(),
        r.minGapSeconds(),
        r.jitterSeconds() == null ? 0 : r.jitterSeconds(),
        zone,
        warmup);
  }

  private static MailboxStore.Server server(MailboxRequest.Server s) {
    if (s == null) {
      return null;
    }
    return new MailboxStore.Server(
        s.host(), s.port(), s.username(), s.password(), Boolean.TRUE.equals(s.tls()));
  }
}
