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
import dev.outbound.crm.admin.CampaignStatus;
import dev.outbound.crm.admin.CampaignStore;
import dev.outbound.crm.admin.LeadStore;
import dev.outbound.crm.admin.LeadStore.EventResult;
import dev.outbound.crm.admin.LeadStore.LeadState;
import dev.outbound.crm.admin.Page;
import dev.outbound.workflows.LeadSequenceWorkflow;
import dev.outbound.workflows.LeadStatus;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
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

  private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,63}");

  private final LeadStore leads;
  private final CampaignStore campaigns;
  private final TimelineStore timeline;
  private final WorkflowSignals signals;
  private final Validator validator;
  private final ApiProperties properties;
  private final JsonMapper json;

  LeadController(
      LeadStore leads,
      CampaignStore campaigns,
      TimelineStore timeline,
      WorkflowSignals signals,
      Validator validator,
      ApiProperties properties,
      JsonMapper json) {
    this.leads = leads;
    this.campaigns = campaigns;
    this.timeline = timeline;
    this.signals = signals;
    this.validator = validator;
    this.properties = properties;
    this.json = json;
  }

  /**
   * Adds leads to a campaign. Invalid leads fail the whole request with 400 (nothing is written);
   * duplicates (earlier in the request, or already in the campaign) are skipped and listed with
   * their index. Leads added to a running campaign are enrolled at once.
   */
  @PostMapping("/api/v1/campaigns/{id}/leads")
  AddLeadsResult add(ClientId client, @PathVariable long id, @RequestBody List<LeadRequest> body) {
    check(body);
    List<LeadStore.NewLead> toAdd =
        body.stream()
            .map(
                l ->
                    new LeadStore.NewLead(
                        l.email(),
                        l.firstName(),
                        l.lastName(),
                        l.company(),
                        l.timezone(),
                        l.fields() == null ? Map.of() : l.fields()))
            .toList();
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
    AddLeadsResult answer =
        new AddLeadsResult(
            result.accepted(),
            result.rejected().stream().map(r -> new Rejected(r.index(), r.reason())).toList());
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
    Page<LeadStore.LeadRow> found =
        leads.list(
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
    LeadStore.LeadDetail d =
        leads.find(client.value(), id).orElseThrow(() -> new NotFoundException("lead", id));
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
    return control(client, id, "paused", LeadSequenceWorkflow::pause);
  }

  /** Releases a paused lead, or a held one after its cause was fixed. */
  @PostMapping("/api/v1/leads/{id}/resume")
  @ResponseStatus(HttpStatus.ACCEPTED)
  LeadStatusView resume(ClientId client, @PathVariable long id) {
    return control(client, id, "resumed", LeadSequenceWorkflow::resume);
  }

  /**
   * Records a reply, booked meeting or unsubscribe reported by an operator. The database is written
   * first, so the send activity's own status check stops a send even if the signal is late; then
   * the lead's workflow, if it is running, is told to stop.
   */
  @PostMapping("/api/v1/leads/{id}/events")
  @ResponseStatus(HttpStatus.ACCEPTED)
  LeadStatusView event(
      ClientId client, @PathVariable long id, @Valid @RequestBody OperatorEvent body) {
    String detail =
        "reported by an operator"
            + (body.note() == null || body.note().isBlank() ? "" : ": " + body.note());
    EventResult result = leads.markTerminal(client.value(), id, body.type().name(), detail);
    switch (result.outcome()) {
      case NOT_FOUND -> throw new NotFoundException("lead", id);
      case CONFLICT ->
          throw new ConflictException(
                  "The lead's sequence already ended as " + result.state().status() + ".")
              .with("currentStatus", result.state().status());
      case CHANGED, UNCHANGED -> {}
    }
    LeadState state = result.state();
    if (state.started()) {
      Consumer<LeadSequenceWorkflow> signal =
          switch (body.type()) {
            case REPLIED -> LeadSequenceWorkflow::replied;
            case MEETING_BOOKED -> LeadSequenceWorkflow::meetingBooked;
            case UNSUBSCRIBED -> LeadSequenceWorkflow::unsubscribed;
          };
      // A workflow that is gone (never started or already ended) needs no signal: the status is
      // set.
      signals.signalLead(state.campaignId(), id, signal);
    }
    return new LeadStatusView(id, body.type().name());
  }

  private LeadStatusView control(
      ClientId client, long id, String verb, Consumer<LeadSequenceWorkflow> signal) {
    LeadState state =
        leads.state(client.value(), id).orElseThrow(() -> new NotFoundException("lead", id));
    if (state.terminal()) {
      throw new ConflictException(
              "The lead's sequence ended as " + state.status() + "; it cannot be " + verb + ".")
          .with("currentStatus", state.status());
    }
    if (!state.started() || !signals.signalLead(state.campaignId(), id, signal)) {
      throw new ConflictException(
              "The lead's sequence is not running yet (the campaign has not enrolled it);"
                  + " it cannot be "
                  + verb
                  + " now.")
          .with("currentStatus", state.status());
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
      for (ConstraintViolation<LeadRequest> v : validator.validate(lead)) {
        checks.add(at + "." + v.getPropertyPath(), v.getMessage());
      }
      checks.timeZone(at + ".timezone", lead.timezone());
      if (lead.fields() != null) {
        for (Map.Entry<String, String> f : lead.fields().entrySet()) {
          if (f.getKey() == null || !FIELD_NAME.matcher(f.getKey()).matches()) {
            checks.add(
                at + ".fields",
                "'" + f.getKey() + "' is not a field name (letters, digits, '_' and '-')");
          } else if (f.getValue() != null && f.getValue().length() > 2000) {
            checks.add(at + ".fields." + f.getKey(), "must be at most 2000 characters");
          }
        }
      }
    }
    checks.throwIfAny();
  }
}
