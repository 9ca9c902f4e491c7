package dev.outbound.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The campaign workflow's batch work: starting lead sequences and fanning out controls. */
@ActivityInterface
public interface CampaignActivities {

  /**
   * Starts the lead sequences of up to {@code batchSize} enrolled leads that have none yet, and
   * marks them started. Idempotent: a sequence that already exists is counted, not started again.
   * Starts nothing when the campaign is stopped.
   */
  @ActivityMethod
  FanOutPage enrolPending(long clientId, long campaignId, int batchSize);

  /**
   * Sends the signal for {@code action} to the running sequences of up to {@code batchSize} leads
   * with an ID above {@code afterLeadId}. Idempotent: pause, resume and stop signals may arrive
   * twice.
   */
  @ActivityMethod
  FanOutPage signalLeads(
      long clientId, long campaignId, CampaignAction action, long afterLeadId, int batchSize);
}
