package dev.outbound.api.campaigns;

import dev.outbound.api.temporal.WorkflowSignals;
import dev.outbound.api.web.ConflictException;
import dev.outbound.api.web.NotFoundException;
import dev.outbound.crm.admin.CampaignTransitionStore;
import dev.outbound.crm.admin.CampaignTransitionStore.Transition;
import dev.outbound.workflows.CampaignAction;
import org.springframework.stereotype.Service;

/**
 * Start, pause, resume and stop: the database transition first (conditional, so concurrent calls
 * are safe), then the campaign workflow. The workflow call is made even when the status did not
 * change, so repeating a call whose Temporal half failed completes it; the workflow's signals are
 * idempotent.
 */
@Service
class CampaignControl {

  private final CampaignTransitionStore campaigns;
  private final WorkflowSignals signals;

  CampaignControl(CampaignTransitionStore campaigns, WorkflowSignals signals) {
    this.campaigns = campaigns;
    this.signals = signals;
  }

  Transition start(long clientId, long id) {
    Transition t = checked(campaigns.start(clientId, id), id);
    signals.enrolPending(clientId, id);
    return t;
  }

  Transition pause(long clientId, long id) {
    Transition t = checked(campaigns.pause(clientId, id), id);
    signals.control(clientId, id, CampaignAction.PAUSE);
    return t;
  }

  Transition resume(long clientId, long id) {
    Transition t = checked(campaigns.resume(clientId, id), id);
    signals.control(clientId, id, CampaignAction.RESUME);
    return t;
  }

  Transition stop(long clientId, long id) {
    Transition t = checked(campaigns.stop(clientId, id), id);
    if (t.started()) {
      // A campaign that never started has no workflow and no running leads; the store stopped them.
      signals.control(clientId, id, CampaignAction.STOP);
    }
    return t;
  }

  private static Transition checked(Transition t, long id) {
    return switch (t.outcome()) {
      case NOT_FOUND -> throw new NotFoundException("campaign", id);
      case CONFLICT ->
          throw new ConflictException(t.reason()).with("currentStatus", t.status().name());
      case CHANGED, UNCHANGED -> t;
    };
  }
}
