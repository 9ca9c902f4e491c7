package dev.outbound.api.campaigns;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.campaigns.CampaignViews.CampaignItem;
import dev.outbound.api.campaigns.CampaignViews.CampaignPage;
import dev.outbound.api.campaigns.CampaignViews.CampaignStatusView;
import dev.outbound.api.campaigns.CampaignViews.CampaignView;
import dev.outbound.api.campaigns.CampaignViews.StepView;
import dev.outbound.api.web.ApiProperties;
import dev.outbound.api.web.Checks;
import dev.outbound.api.web.InvalidRequestException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.api.web.Paging;
import dev.outbound.crm.admin.CampaignStatus;
import dev.outbound.crm.admin.CampaignStore;
import dev.outbound.crm.admin.CampaignStore.Transition;
import dev.outbound.crm.admin.Page;
import dev.outbound.crm.admin.UnknownMailboxesException;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/campaigns")
class CampaignController {

  private final CampaignStore campaigns;
  private final CampaignControl control;
  private final ApiProperties properties;

  CampaignController(CampaignStore campaigns, CampaignControl control, ApiProperties properties) {
    this.campaigns = campaigns;
    this.control = control;
    this.properties = properties;
  }

  @PostMapping
  ResponseEntity<CampaignStatusView> create(
      ClientId client, @Valid @RequestBody CampaignRequest request) {
    Checks checks = new Checks().timeZone("timezone", request.timezone());
    for (int i = 0; i < request.steps().size(); i++) {
      CampaignRequest.Step step = request.steps().get(i);
      checks.delay("steps[" + i + "].delay", step.delay());
      if (!isBlank(step.subject())) {
        checks.template("steps[" + i + "].subject", step.subject());
      } else if (i == 0) {
        // Later steps may leave it out: they are sent as "Re: " + the first step's subject.
        checks.add("steps[0].subject", "must not be blank (the first step needs a subject)");
      }
      checks.template("steps[" + i + "].body", step.body());
    }
    checks.throwIfAny();
    List<CampaignStore.NewStep> steps =
        request.steps().stream()
            .map(
                s ->
                    new CampaignStore.NewStep(
                        Duration.parse(s.delay()),
                        isBlank(s.subject()) ? "" : s.subject(),
                        s.body()))
            .toList();
    long id;
    try {
      id =
          campaigns.create(
              client.value(),
              new CampaignStore.NewCampaign(
                  request.name(), request.timezone(), request.mailboxIds(), steps));
    } catch (UnknownMailboxesException e) {
      throw new InvalidRequestException("mailboxIds", "unknown mailbox IDs: " + e.ids());
    }
    return ResponseEntity.created(URI.create("/api/v1/campaigns/" + id))
        .body(new CampaignStatusView(id, CampaignStatus.DRAFT.name()));
  }

  @GetMapping
  CampaignPage list(
      ClientId client,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    Paging paging = Paging.of(page, size, properties);
    Page<CampaignStore.CampaignSummary> found =
        campaigns.list(client.value(), paging.page(), paging.size());
    return new CampaignPage(
        found.items().stream()
            .map(
                c ->
                    new CampaignItem(
                        c.id(), c.name(), c.timezone(), c.status().name(), c.createdAt()))
            .toList(),
        found.page(),
        found.size(),
        found.total());
  }

  @GetMapping("/{id}")
  CampaignView get(ClientId client, @PathVariable long id) {
    CampaignStore.Campaign c =
        campaigns.find(client.value(), id).orElseThrow(() -> new NotFoundException("campaign", id));
    Map<Integer, Long> sent =
        campaigns.sentPerStep(client.value(), id).stream()
            .collect(Collectors.toMap(CampaignStore.StepSent::index, CampaignStore.StepSent::sent));
    List<StepView> steps = new ArrayList<>();
    for (CampaignStore.Step s : c.steps()) {
      steps.add(
          new StepView(
              s.index(),
              Duration.ofSeconds(s.delaySeconds()).toString(),
              s.subject(),
              s.body(),
              sent.getOrDefault(s.index(), 0L)));
    }
    return new CampaignView(
        c.id(),
        c.name(),
        c.timezone(),
        c.status().name(),
        c.createdAt(),
        c.startedAt(),
        c.mailboxIds(),
        campaigns.counts(client.value(), id),
        steps);
  }

  /**
   * DRAFT to ACTIVE and enrol the leads; starting an ACTIVE campaign again starts no lead twice.
   */
  @PostMapping("/{id}/start")
  @ResponseStatus(HttpStatus.ACCEPTED)
  CampaignStatusView start(ClientId client, @PathVariable long id) {
    return view(id, control::start, client);
  }

  @PostMapping("/{id}/pause")
  @ResponseStatus(HttpStatus.ACCEPTED)
  CampaignStatusView pause(ClientId client, @PathVariable long id) {
    return view(id, control::pause, client);
  }

  @PostMapping("/{id}/resume")
  @ResponseStatus(HttpStatus.ACCEPTED)
  CampaignStatusView resume(ClientId client, @PathVariable long id) {
    return view(id, control::resume, client);
  }

  @PostMapping("/{id}/stop")
  @ResponseStatus(HttpStatus.ACCEPTED)
  CampaignStatusView stop(ClientId client, @PathVariable long id) {
    return view(id, control::stop, client);
  }

  private interface Action {
    Transition apply(long clientId, long id);
  }

  private static CampaignStatusView view(long id, Action action, ClientId client) {
    return new CampaignStatusView(id, action.apply(client.value(), id).status().name());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
