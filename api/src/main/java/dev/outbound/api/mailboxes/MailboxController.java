package dev.outbound.api.mailboxes;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.crm.admin.DuplicateMailboxException;
import dev.outbound.crm.admin.MailboxStore;
import jakarta.validation.Valid;
import java.net.URI;
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

  /** {@code 201} body. */
  record Created(long id) {}

  private final MailboxStore mailboxes;

  MailboxController(MailboxStore mailboxes) {
    this.mailboxes = mailboxes;
  }

  @PostMapping
  ResponseEntity<Created> create(ClientId client, @Valid @RequestBody MailboxRequest request) {
    long id;
    try {
      id = mailboxes.create(client.value(), toNew(request));
    } catch (DuplicateMailboxException e) {
      throw new ConflictException("A mailbox with the address " + request.email() + " exists.");
    }
    return ResponseEntity.created(URI.create("/api/v1/mailboxes/" + id)).body(new Created(id));
  }

  @GetMapping("/{id}")
  MailboxView get(ClientId client, @PathVariable long id) {
    return mailboxes
        .find(client.value(), id)
        .map(MailboxView::of)
        .orElseThrow(() -> new NotFoundException("mailbox", id));
  }

  private static MailboxStore.NewMailbox toNew(MailboxRequest r) {
    return new MailboxStore.NewMailbox(
        r.email(),
        r.displayName(),
        server(r.smtp()),
        server(r.imap()),
        r.dailyCap(),
        r.minGapSeconds());
  }

  private static MailboxStore.Server server(MailboxRequest.Server s) {
    if (s == null) {
      return null;
    }
    return new MailboxStore.Server(
        s.host(), s.port(), s.username(), s.password(), Boolean.TRUE.equals(s.tls()));
  }
}
