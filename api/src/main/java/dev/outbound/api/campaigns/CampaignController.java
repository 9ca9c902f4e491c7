package dev.outbound.api.campaigns;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.campaigns.CampaignViews.CampaignItem;
import dev.outbound.api.campaigns.CampaignViews.CampaignPage;
import dev.outbound.api.campaigns.CampaignViews.CampaignStatusView;
import dev.outbound.api.campaigns.CampaignViews.CampaignView;
import dev.outbound.api.campaigns.CampaignViews.SendWindowView;
import dev.outbound.api.campaigns.CampaignViews.StepView;
import dev.outbound.api.campaigns.CampaignViews.VariantStat;
import dev.outbound.api.campaigns.CampaignViews.VariantView;
import dev.outbound.api.web.ApiProperties;
import dev.outbound.api.web.Checks;
import dev.outbound.api.web.InvalidRequestException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.api.web.Paging;
import dev.outbound.crm.admin.CampaignCountStore;
import dev.outbound.crm.admin.CampaignStore;
import dev.outbound.crm.admin.CampaignTransitionStore.Transition;
import dev.outbound.crm.admin.Page;
import dev.outbound.crm.admin.UnknownMailboxesException;
import dev.outbound.vocabulary.schedule.SendWindow;
import dev.outbound.vocabulary.status.CampaignStatus;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final CampaignCountStore counts;
  private final CampaignControl control;
  private final ApiProperties properties;

  CampaignController(
      CampaignStore campaigns,
      CampaignCountStore counts,
      CampaignControl control,
      ApiProperties properties) {
    this.campaigns = campaigns;
    this.counts = counts;
    this.control = control;
    this.properties = properties;
  }

  @PostMapping
  ResponseEntity<CampaignStatusView> create(
      ClientId client, @Valid @RequestBody CampaignRequest request) {
    Checks checks = new Checks().timeZone("timezone", request.timezone());
    for (int i = 0; i < request.steps().size(); i++) {
      CampaignRequest.Step step = request.steps().get(i);
      String at = "steps[" + i + "]";
      checks.delay(at + ".delay", step.delay());
      checkSubject(checks, at, i, step.subject());
      checks.template(at + ".body", step.body());
      List<CampaignRequest.Variant> variants = variants(step);
      for (int v = 0; v < variants.size(); v++) {
        String variantAt = at + ".variants[" + v + "]";
        checkSubject(checks, variantAt, i, variants.get(v).subject());
        checks.template(variantAt + ".body", variants.get(v).body());
      }
    }
    SendWindow window = window(checks, request.sendWindow());
    checks.throwIfAny();
    List<CampaignStore.NewStep> steps =
        request.steps().stream()
            .map(
                s ->
                    new CampaignStore.NewStep(
                        Duration.parse(s.delay()),
                        subject(s.subject()),
                        s.body(),
                        variants(s).stream()
                            .map(v -> new CampaignStore.NewVariant(subject(v.subject()), v.body()))
                            .toList()))
            .toList();
    long id;
    try {
      id =
          campaigns.create(
              client.value(),
              new CampaignStore.NewCampaign(
                  request.name(),
                  request.timezone(),
                  request.mailboxIds(),
                  steps,
                  window,
                  request.domainHourlyLimit(),
                  Boolean.TRUE.equals(request.stopCompanyOnReply())));
    } catch (UnknownMailboxesException e) {
      throw new InvalidRequestException("mailboxIds", "unknown mailbox IDs: " + e.ids());
    }
    return ResponseEntity.created(URI.create("/api/v1/campaigns/" + id))
        .body(new CampaignStatusView(id, CampaignStatus.DRAFT.name()));
  }

  /**
   * The subject rule of a step and of each of its variants: a template, required on the first step
   * only; later steps may leave it out and are then sent as "Re: " + the first step's subject.
   */
  private static void checkSubject(Checks checks, String at, int stepIndex, String subject) {
    if (!isBlank(subject)) {
      checks.template(at + ".subject", subject);
    } else if (stepIndex == 0) {
      checks.add(at + ".subject", "must not be blank (the first step needs a subject)");
    }
  }

  /**
   * The send window of the request, or null when it has none or has problems (which go to {@code
   * checks}). Bean validation has already checked that the days are there and the times are HH:mm;
   * the day names and the order of the times are {@link SendWindow}'s own rules and messages.
   */
  private static SendWindow window(Checks checks, CampaignRequest.SendWindowRequest request) {
    if (request == null) {
      return null;
    }
    boolean daysOk = true;
    for (int i = 0; i < request.days().size(); i++) {
      String day = request.days().get(i);
      try {
        // One entry is one day: a list inside an entry ("MON,TUE") would hide a mistake.
        if (day.isBlank() || day.contains(",") || SendWindow.parseDays(day).size() != 1) {
          throw new IllegalArgumentException(
              "must be one day: MON, TUE, WED, THU, FRI, SAT or SUN");
        }
      } catch (IllegalArgumentException e) {
        checks.add("sendWindow.days[" + i + "]", e.getMessage());
        daysOk = false;
      }
    }
    Set<DayOfWeek> days = null;
    if (daysOk) {
      try {
        days = SendWindow.parseDays(String.join(",", request.days()));
      } catch (IllegalArgumentException e) {
        checks.add("sendWindow.days", e.getMessage());
      }
    }
    LocalTime start = LocalTime.parse(request.start());
    LocalTime end = LocalTime.parse(request.end());
    if (!end.isAfter(start)) {
      checks.add(
          "sendWindow.end",
          "must be after the start ("
              + start
              + "): a window does not span midnight; use 23:59 for the end of the day");
    }
    if (days == null || !end.isAfter(start)) {
      return null;
    }
    return new SendWindow(days, start, end, Boolean.TRUE.equals(request.skipHolidays()));
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
        counts.sentPerStep(client.value(), id).stream()
            .collect(
                Collectors.toMap(
                    CampaignCountStore.StepSent::index, CampaignCountStore.StepSent::sent));
    Map<Integer, List<VariantStat>> perVariant = new HashMap<>();
    for (CampaignCountStore.VariantSent v : counts.sentPerVariant(client.value(), id)) {
      perVariant
          .computeIfAbsent(v.index(), k -> new ArrayList<>())
          .add(new VariantStat(v.variant(), v.sent()));
    }
    List<StepView> steps = new ArrayList<>();
    for (CampaignStore.Step s : c.steps()) {
      steps.add(
          new StepView(
              s.index(),
              Duration.ofSeconds(s.delaySeconds()).toString(),
              s.subject(),
              s.body(),
              sent.getOrDefault(s.index(), 0L),
              s.variants().stream()
                  .map(v -> new VariantView(v.variant(), v.subject(), v.body()))
                  .toList(),
              s.variants().isEmpty() ? null : perVariant.getOrDefault(s.index(), List.of())));
    }
    return new CampaignView(
        c.id(),
        c.name(),
        c.timezone(),
        c.status().name(),
        c.createdAt(),
        c.startedAt(),
        c.mailboxIds(),
        SendWindowView.of(c.window()),
        c.domainHourlyLimit(),
        c.stopCompanyOnReply(),
        counts.counts(client.value(), id),
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

  /** A blank subject is stored empty: the step (or variant) goes out as a reply. */
  private static String subject(String value) {
    return isBlank(value) ? "" : value;
  }

  private static List<CampaignRequest.Variant> variants(CampaignRequest.Step step) {
    return step.variants() == null ? List.of() : step.variants();
  }
}
