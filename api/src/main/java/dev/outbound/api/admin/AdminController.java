package dev.outbound.api.admin;

import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.crm.ApiKeyScope;
import dev.outbound.crm.ClientStore;
import dev.outbound.crm.limits.ClientSendCap;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/admin/clients")
@Tag(
    name = "admin",
    description =
        "The operator's API (admin key from OUTBOUND_ADMIN_KEY, never a client's key): clients"
            + " and their API keys.")
class AdminController {

  /** One line of plain text, as names and labels are shown in listings. */
  private static final String ONE_LINE = "^[^\\p{Cntrl}\\u2028\\u2029]*$";

  record NewClient(
      @Schema(description = "Lower-case letters, digits and dashes; unique.", example = "acme")
          @NotBlank
          @Pattern(
              regexp = "^[a-z0-9][a-z0-9-]{0,62}$",
              message =
                  "must be 1-63 lower-case letters, digits or dashes, not starting with a dash")
          String slug,
      @NotBlank @Size(max = 200) @Pattern(regexp = ONE_LINE, message = "must be one line")
          String name,
      @Schema(
              description =
                  "The most leads one campaign of this client may hold. Absent: the installation's"
                      + " default (OUTBOUND_MAX_LEADS_PER_CAMPAIGN).")
          @Min(1)
          @Max(100_000_000)
          Integer maxLeadsPerCampaign,
      @Schema(
              description =
                  "The most emails this client may send per UTC day, over all its campaigns; a"
                      + " send over it waits for the next day. Absent: the installation's default"
                      + " (OUTBOUND_MAX_SENDS_PER_CLIENT_PER_DAY).")
          @Min(1)
          @Max(100_000_000)
          Integer maxSendsPerDay) {}

  record ClientView(
      long id,
      String slug,
      String name,
      Integer maxLeadsPerCampaign,
      @Schema(description = "Emails per UTC day this client may send (its own cap or the default).")
          int maxSendsPerDay,
      Instant createdAt) {}

  private ClientView view(ClientStore.Client c) {
    return new ClientView(
        c.id(), c.slug(), c.name(), c.maxLeadsPerCampaign(), sendCap.capOf(c.id()), c.createdAt());
  }

  record NewKey(
      @Schema(description = "READ (GET only) or FULL.") @NotNull ApiKeyScope scope,
      @Schema(description = "What the key is for, e.g. 'CRM sync'. Default: the scope.")
          @Size(max = 200)
          @Pattern(regexp = ONE_LINE, message = "must be one line")
          String label) {}

  @Schema(description = "An API key without its secret.")
  record KeyView(
      long id,
      @Schema(description = "The key's first characters, to tell keys apart; null for fixed keys.")
          String prefix,
      String label,
      ApiKeyScope scope,
      Instant createdAt,
      @Schema(description = "When it was revoked; null while it works.") Instant revokedAt) {

    static KeyView of(ClientStore.KeyInfo k) {
      return new KeyView(k.id(), k.prefix(), k.label(), k.scope(), k.createdAt(), k.revokedAt());
    }
  }

  @Schema(description = "A new API key. 'key' is shown this once: it is stored only as a hash.")
  record CreatedKey(
      long id, String key, String prefix, String label, ApiKeyScope scope, Instant createdAt) {}

  private final ClientStore clients;

  private final ClientSendCap sendCap;

  AdminController(ClientStore clients, ClientSendCap sendCap) {
    this.clients = clients;
    this.sendCap = sendCap;
  }

  @PostMapping
  @Operation(summary = "Create a client (tenant)")
  ResponseEntity<ClientView> create(@Valid @RequestBody NewClient request) {
    ClientStore.Client client;
    try {
      client = clients.createClient(request.slug(), request.name(), request.maxLeadsPerCampaign());
      if (request.maxSendsPerDay() != null) {
        sendCap.setCap(client.id(), request.maxSendsPerDay());
      }
    } catch (ClientStore.DuplicateClientException e) {
      throw new ConflictException("A client with the slug " + request.slug() + " exists.");
    }
    return ResponseEntity.created(URI.create("/api/v1/admin/clients/" + client.id()))
        .body(view(client));
  }

  @GetMapping
  @Operation(summary = "List the clients")
  List<ClientView> list() {
    return clients.listClients().stream().map(this::view).toList();
  }

  @GetMapping("/{id}")
  @Operation(summary = "One client")
  ClientView get(@PathVariable long id) {
    return clients.findClient(id).map(this::view).orElseThrow(() -> notFound(id));
  }

  @PostMapping("/{id}/api-keys")
  @Operation(
      summary = "Create an API key for the client",
      description =
          "Answers the key once; it is stored as a SHA-256 hash and cannot be shown again.")
  ResponseEntity<CreatedKey> createKey(@PathVariable long id, @Valid @RequestBody NewKey request) {
    String label =
        request.label() == null || request.label().isBlank()
            ? request.scope().name()
            : request.label();
    ClientStore.NewKey made =
        clients.createApiKey(id, request.scope(), label).orElseThrow(() -> notFound(id));
    ClientStore.KeyInfo info = made.info();
    return ResponseEntity.created(
            URI.create("/api/v1/admin/clients/" + id + "/api-keys/" + info.id()))
        .body(
            new CreatedKey(
                info.id(),
                made.key(),
                info.prefix(),
                info.label(),
                info.scope(),
                info.createdAt()));
  }

  @GetMapping("/{id}/api-keys")
  @Operation(summary = "List the client's API keys (never their secrets), revoked ones included")
  List<KeyView> listKeys(@PathVariable long id) {
    if (clients.findClient(id).isEmpty()) {
      throw notFound(id);
    }
    return clients.listApiKeys(id).stream().map(KeyView::of).toList();
  }

  @DeleteMapping("/{id}/api-keys/{keyId}")
  @Operation(
      summary = "Revoke an API key",
      description =
          "The key stops working at once (401). Repeating it answers the same; the key stays in"
              + " the listing with its revocation time.")
  KeyView revokeKey(@PathVariable long id, @PathVariable long keyId) {
    return clients
        .revokeApiKey(id, keyId)
        .map(KeyView::of)
        .orElseThrow(() -> new NotFoundException("API key of client " + id, keyId));
  }

  private static NotFoundException notFound(long id) {
    return new NotFoundException("client", id);
  }
}
