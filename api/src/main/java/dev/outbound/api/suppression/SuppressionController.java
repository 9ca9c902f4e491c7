package dev.outbound.api.suppression;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.web.ApiProperties;
import dev.outbound.api.web.Checks;
import dev.outbound.api.web.HeaderSafe;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.api.web.Paging;
import dev.outbound.crm.admin.Page;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.crm.suppression.SuppressionStore.Kind;
import dev.outbound.crm.suppression.SuppressionStore.Reason;
import dev.outbound.crm.suppression.SuppressionStore.Suppression;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/suppressions")
class SuppressionController {

  /**
   * {@code POST} body.
   *
   * @param reason why; {@code MANUAL} when left out
   */
  record SuppressionRequest(
      @NotNull Kind kind, @NotBlank @Size(max = 320) @HeaderSafe String value, Reason reason) {}

  /** One entry as the API shows it. */
  record SuppressionView(
      long id, Kind kind, String value, Reason reason, String source, Instant createdAt) {

    static SuppressionView of(Suppression s) {
      return new SuppressionView(
          s.id(), s.kind(), s.value(), s.reason(), s.source(), s.createdAt());
    }
  }

  record SuppressionPage(List<SuppressionView> items, int page, int size, long total) {}

  private final SuppressionStore suppressions;
  private final ApiProperties properties;

  SuppressionController(SuppressionStore suppressions, ApiProperties properties) {
    this.suppressions = suppressions;
    this.properties = properties;
  }

  @GetMapping
  @Operation(summary = "List the suppression list, newest first, optionally of one kind")
  SuppressionPage list(
      ClientId client,
      @RequestParam(required = false) Kind kind,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    Paging paging = Paging.of(page, size, properties);
    Page<Suppression> found = suppressions.list(client.value(), kind, paging.page(), paging.size());
    return new SuppressionPage(
        found.items().stream().map(SuppressionView::of).toList(),
        found.page(),
        found.size(),
        found.total());
  }

  @PostMapping
  @Operation(
      summary = "Suppress an address or a whole domain (with its subdomains)",
      description =
          "201 with the new entry; 200 with the existing one when the value is listed already"
              + " (its first reason stays). Leads with a suppressed address are rejected at"
              + " import and are not sent to.")
  ResponseEntity<SuppressionView> add(
      ClientId client, @Valid @RequestBody SuppressionRequest request) {
    Reason reason = request.reason() == null ? Reason.MANUAL : request.reason();
    boolean created;
    try {
      created = suppressions.add(client.value(), request.kind(), request.value(), reason, "api");
    } catch (IllegalArgumentException e) {
      new Checks()
          .add(
              "value",
              request.kind() == Kind.ADDRESS
                  ? "must be a plain email address, e.g. ada@example.com"
                  : "must be a domain name, e.g. example.com")
          .throwIfAny();
      throw e;
    }
    Suppression entry =
        suppressions
            .find(client.value(), request.kind(), request.value())
            .orElseThrow(() -> new IllegalStateException("suppression vanished after insert"));
    SuppressionView view = SuppressionView.of(entry);
    return created
        ? ResponseEntity.created(URI.create("/api/v1/suppressions/" + entry.id())).body(view)
        : ResponseEntity.ok(view);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(summary = "Lift one entry (an address entry does not lift its domain's)")
  void remove(ClientId client, @PathVariable long id) {
    Suppression entry =
        suppressions
            .find(client.value(), id)
            .orElseThrow(() -> new NotFoundException("suppression", id));
    suppressions.remove(client.value(), entry.kind(), entry.value());
  }
}
