package dev.outbound.api.leads;

import dev.outbound.api.auth.ClientId;
import dev.outbound.api.leads.LeadViews.AddLeadsResult;
import dev.outbound.api.leads.LeadViews.LeadItem;
import dev.outbound.api.leads.LeadViews.LeadPage;
import dev.outbound.api.leads.LeadViews.LeadStatusView;
import dev.outbound.api.leads.LeadViews.LeadView;
import dev.outbound.api.leads.LeadViews.Rejected;
import dev.outbound.api.leads.LeadViews.TimelineEntry;
import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.api.web.ApiProperties;
import dev.outbound.api.web.Checks;
import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.api.web.Paging;
import dev.outbound.api.web.WorkflowServiceUnavailableException;
import dev.outbound.crm.TimelineStore;
import dev.outbound.crm.admin.CampaignStateException;
import dev.outbound.crm.admin.CampaignStore;
import dev.outbound.crm.admin.LeadChangeStore;
import dev.outbound.crm.admin.LeadChangeStore.EventResult;
import dev.outbound.crm.admin.LeadDetail;
import dev.outbound.crm.admin.LeadQueryStore;
import dev.outbound.crm.admin.LeadRow;
import dev.outbound.crm.admin.LeadState;
import dev.outbound.crm.admin.LeadStore;
import dev.outbound.crm.admin.LeadUpdate;
import dev.outbound.crm.admin.Page;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.vocabulary.status.CampaignStatus;
import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.workflows.StopReason;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@RestController
class LeadController {

  /** Where a duplicate's reason names the index of the first occurrence. */
  private static final Pattern STORE_INDEX = Pattern.compile("at index (\\d+)");

  private final LeadStore leads;
  private final LeadQueryStore leadQueries;
  private final LeadChangeStore leadChanges;
  private final CampaignStore campaigns;
  private final TimelineStore timeline;
  private final WorkflowSignals signals;
  private final Validator validator;
  private final ApiProperties properties;
  private final JsonMapper json;
  private final SuppressionStore suppressions;

  LeadController(
      SuppressionStore suppressions,
      LeadStore leads,
      LeadQueryStore leadQueries,
      LeadChangeStore leadChanges,
      CampaignStore campaigns,
      TimelineStore timeline,
      WorkflowSignals signals,
      Validator validator,
      ApiProperties properties,
      JsonMapper json) {
    this.leads = leads;
    this.leadQueries = leadQueries;
    this.leadChanges = leadChanges;
    this.campaigns = campaigns;
    this.timeline = timeline;
    this.signals = signals;
    this.validator = validator;
    this.properties = properties;
    this.json = json;
    this.suppressions = suppressions;
  }

  /**
   * Adds leads to a campaign. Invalid leads fail the whole request with 400 (nothing is written);
   * duplicates (earlier in the request, or already in the campaign) are skipped and listed with
   * their index, and so are leads whose address or domain is on the client's suppression list
   * (reason {@code suppressed}). Leads added to a running campaign are enrolled at once.
   */
  @PostMapping("/api/v1/campaigns/{id}/leads")
  AddLeadsResult add(ClientId client, @PathVariable long id, @RequestBody List<LeadRequest> body) {
    check(body);
    // The suppression list is read once for the whole request; the rest go to the store, whose
    // rejections count positions in what it was given and are mapped back below.
    var suppressed =
        suppressions.suppressedAmong(
            client.value(), body.stream().map(LeadRequest::email).toList());
    List<Rejected> rejections = new ArrayList<>();
    List<Integer> passed = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      if (suppressed.containsKey(body.get(i).email())) {
        rejections.add(new Rejected(i, "suppressed"));
      } else {
        passed.add(i);
      }
    }
    List<LeadStore.NewLead> toAdd =
        passed.stream().map(body::get).map(LeadValidation::toNewLead).toList();
    LeadStore.AddResult result;
    try {
      result =
          leads
              .add(client.value(), id, toAdd)
              .orElseThrow(() -> new NotFoundException("campaign", id));
    } catch (CampaignStateException e) {
      throw new ConflictException("Leads cannot be added to a " + e.status() + " campaign.")
          .with("currentStatus", e.status().name());
    }
    result
        .rejected()
        .forEach(
            r ->
                rejections.add(
                    new Rejected(passed.get(r.index()), inRequestPositions(r.reason(), passed))));
    rejections.sort(Comparator.comparingInt(Rejected::index));
    AddLeadsResult answer = new AddLeadsResult(result.accepted(), List.copyOf(rejections));
    CampaignStatus status = result.campaignStatus();
    if (result.accepted() > 0
        && (status == CampaignStatus.ACTIVE || status == CampaignStatus.PAUSED)) {
      try {
        signals.enrolPending(client.value(), id);
      } catch (WorkflowServiceUnavailableException e) {
        throw new WorkflowServiceUnavailableException(
                "The leads are saved but not enrolled yet: the workflow service did not answer."
                    + " POST /api/v1/campaigns/"
                    + id
                    + "/start (safe to repeat) to enrol them.",
                e.getCause())
            .with("accepted", answer.accepted())
            .with("rejected", answer.rejected());
      }
    }
    return answer;
  }

  @GetMapping("/api/v1/campaigns/{id}/leads")
  LeadPage list(
      ClientId client,
      @PathVariable long id,
      @RequestParam(required = false) LeadStatus status,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    Paging paging = Paging.of(page, size, properties);
    if (campaigns.status(client.value(), id).isEmpty()) {
      throw new NotFoundException("campaign", id);
    }
    Page<LeadRow> found =
        leadQueries.list(
            client.value(),
            id,
            status == null ? null : status.name(),
            paging.page(),
            paging.size());
    return new LeadPage(
        found.items().stream()
            .map(
                r ->
                    new LeadItem(
                        r.id(),
                        r.email(),
                        r.firstName(),
                        r.lastName(),
                        r.company(),
                        r.status(),
                        r.currentStep(),
                        r.nextSendAt()))
            .toList(),
        found.page(),
        found.size(),
        found.total());
  }

  @GetMapping("/api/v1/leads/{id}")
  LeadView get(ClientId client, @PathVariable long id) {
    return view(client, id);
  }

  /**
   * Corrects a lead's data, e.g. the missing value that held it; {@code POST .../resume} then
   * retries the held step. The timeline names the changed fields, never their values.
   */
  @PatchMapping("/api/v1/leads/{id}")
  @Operation(
      summary = "Correct a lead's data",
      description =
          "Changes any of firstName, lastName, company, timezone, country and fields (which replaces the"
              + " whole map); absent or null values stay as they are. Validated as when leads are"
              + " added. The data belongs to the person, which is shared by the person's"
              + " enrolments in other campaigns of this client: they see the change too. Each"
              + " enrolment of the person gets an UPDATED timeline event naming the changed fields"
              + " (never their values). A HELD lead stays held until POST /api/v1/leads/{id}/resume"
              + " retries its step.")
  LeadView update(ClientId client, @PathVariable long id, @RequestBody LeadPatch body) {
    Checks checks = new Checks();
    if (body == null) {
      checks.add("", "must be a JSON object").throwIfAny();
    }
    for (ConstraintViolation<LeadPatch> v : validator.validate(body)) {
      checks.add(v.getPropertyPath().toString(), v.getMessage());
    }
    LeadValidation.checkLeadData(checks, "", body.timezone(), body.country(), body.fields());
    checks.throwIfAny();
    leadChanges
        .update(
            client.value(),
            id,
            new LeadUpdate(
                body.firstName(),
                body.lastName(),
                body.company(),
                body.timezone(),
                LeadValidation.country(body.country()),
                body.fields()))
        .orElseThrow(() -> new NotFoundException("lead", id));
    return view(client, id);
  }

  private LeadView view(ClientId client, long id) {
    LeadDetail d =
        leadQueries.find(client.value(), id).orElseThrow(() -> new NotFoundException("lead", id));
    List<TimelineEntry> events =
        timeline.list(client.value(), id).stream()
            .map(e -> new TimelineEntry(e.at(), e.type(), e.step(), e.detail()))
            .toList();
    return new LeadView(
        d.id(),
        d.campaignId(),
        d.email(),
        d.firstName(),
        d.lastName(),
        d.company(),
        d.timezone(),
        d.country(),
        d.mailboxId(),
        json.readValue(d.fieldsJson(), new TypeReference<Map<String, Object>>() {}),
        d.status(),
        d.currentStep(),
        d.nextSendAt(),
        d.lastOutcome(),
        d.createdAt(),
        d.startedAt(),
        events);
  }

  /** Holds one lead's sequence; a step falling due while paused goes out on resume. */
  @PostMapping("/api/v1/leads/{id}/pause")
  @ResponseStatus(HttpStatus.ACCEPTED)
  LeadStatusView pause(ClientId client, @PathVariable long id) {
    return control(client, id, "paused", signals::pauseLead);
  }

  /** Releases a paused lead, or a held one after its cause was fixed. */
  @PostMapping("/api/v1/leads/{id}/resume")
  @ResponseStatus(HttpStatus.ACCEPTED)
  LeadStatusView resume(ClientId client, @PathVariable long id) {
    return control(client, id, "resumed", signals::resumeLead);
  }

  /**
   * Records a reply, booked meeting or unsubscribe reported by an operator. The database is written
   * first, so the send activity's own status check stops a send even if the signal is late; then
   * the lead's workflow, if it is running, is told to stop.
   */
  @PostMapping("/api/v1/leads/{id}/events")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @Operation(
      summary = "Record a reply, booked meeting or unsubscribe",
      description =
          "Allowed while the sequence runs and after it ended: REPLIED after COMPLETED, STOPPED"
              + " or FAILED; MEETING_BOOKED also after REPLIED; UNSUBSCRIBED also after"
              + " MEETING_BOOKED. The same type again answers 202 and changes nothing. Anything"
              + " else (e.g. after BOUNCED or UNSUBSCRIBED) answers 409 with currentStatus.")
  LeadStatusView event(
      ClientId client, @PathVariable long id, @Valid @RequestBody OperatorEvent body) {
    String detail =
        "reported by an operator"
            + (body.note() == null || body.note().isBlank() ? "" : ": " + body.note());
    EventResult result = leadChanges.markTerminal(client.value(), id, body.type().name(), detail);
    switch (result.outcome()) {
      case NOT_FOUND -> throw new NotFoundException("lead", id);
      case CONFLICT ->
          throw new ConflictException(
                  "A lead whose status is "
                      + result.state().status()
                      + " cannot be marked "
                      + body.type().name()
                      + ".")
              .with("currentStatus", result.state().status());
      case CHANGED, UNCHANGED -> {}
    }
    LeadState state = result.state();
    if (state.started() && mayStillRun(result.previousStatus())) {
      StopReason reason =
          switch (body.type()) {
            case REPLIED -> StopReason.REPLIED;
            case MEETING_BOOKED -> StopReason.MEETING_BOOKED;
            case UNSUBSCRIBED -> StopReason.UNSUBSCRIBED;
          };
      // A workflow that has already ended needs no signal: the status is set.
      signals.stopLead(client.value(), state.campaignId(), id, reason);
    }
    return new LeadStatusView(id, body.type().name());
  }

  /**
   * Whether the lead's workflow may still run, given the status before an operator event: not when
   * the sequence itself had ended it (it has finished, or is about to). After an earlier operator
   * event it may, if that event's signal did not get through; a repeated request completes it.
   */
  /**
   * A store's rejection reason with the index it names (of an earlier duplicate) translated from
   * the store's positions to the request's.
   */
  private static String inRequestPositions(String reason, List<Integer> passed) {
    Matcher m = STORE_INDEX.matcher(reason);
    if (!m.find()) {
      return reason;
    }
    int index = Integer.parseInt(m.group(1));
    return index < passed.size()
        ? reason.substring(0, m.start(1)) + passed.get(index) + reason.substring(m.end(1))
        : reason;
  }

  private static boolean mayStillRun(String previousStatus) {
    return LeadStatus.parse(previousStatus).map(LeadStatus::mayStillRun).orElse(true);
  }

  /** An operator's pause or resume of one lead ({@link WorkflowSignals#pauseLead}). */
  private interface LeadSignal {
    /** False when the lead's sequence has ended. */
    boolean send(long clientId, long campaignId, long leadId);
  }

  /**
   * Signals a started, unfinished lead's sequence; through {@link WorkflowSignals#pauseLead} or
   * {@link WorkflowSignals#resumeLead}, so that a sequence waiting for its first step (start delay)
   * acts on it now.
   */
  private LeadStatusView control(ClientId client, long id, String verb, LeadSignal signal) {
    LeadState state =
        leadQueries.state(client.value(), id).orElseThrow(() -> new NotFoundException("lead", id));
    if (state.terminal()) {
      throw new ConflictException(
              "The lead's sequence has ended (status "
                  + state.status()
                  + "); it cannot be "
                  + verb
                  + ".")
          .with("currentStatus", state.status());
    }
    if (!state.started()) {
      throw new ConflictException(
              "The lead's sequence has not started yet (the campaign has not enrolled it);"
                  + " it cannot be "
                  + verb
                  + " now.")
          .with("currentStatus", state.status());
    }
    if (!signal.send(client.value(), state.campaignId(), id)) {
      // The workflow is gone: it ended, and the status it ended with may have just been written.
      String now =
          leadQueries.state(client.value(), id).map(LeadState::status).orElse(state.status());
      throw new ConflictException(
              "The lead's sequence has ended (status " + now + "); it cannot be " + verb + ".")
          .with("currentStatus", now);
    }
    return new LeadStatusView(id, state.status());
  }

  private void check(List<LeadRequest> body) {
    Checks checks = new Checks();
    if (body == null) {
      checks.add("", "must be a JSON array of leads").throwIfAny();
    }
    if (body.size() > properties.maxLeadsPerRequest()) {
      checks
          .add(
              "",
              "at most "
                  + properties.maxLeadsPerRequest()
                  + " leads per request; send more requests")
          .throwIfAny();
    }
    for (int i = 0; i < body.size(); i++) {
      LeadRequest lead = body.get(i);
      String at = "[" + i + "]";
      if (lead == null) {
        checks.add(at, "must be a lead object");
        continue;
      }
      LeadValidation.prefixed(at + ".", LeadValidation.problems(validator, lead))
          .forEach(p -> checks.add(p.field(), p.message()));
    }
    checks.throwIfAny();
  }
}
