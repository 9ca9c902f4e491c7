package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import java.util.List;

/**
 * What a lead workflow loads when it begins: the steps to run and, when the lead is already
 * finished (e.g. an operator marked it replied before the workflow started), its terminal status.
 *
 * @param steps the campaign's steps in order
 * @param lastSentStep the highest step already in the send ledger as sent (0 when none), so a
 *     sequence that is started again continues after it instead of from the beginning
 * @param terminalStatus the lead's status when it is already terminal, otherwise {@code null}
 * @param firstDueAtMillis when the first step still to send is due (epoch milliseconds), when the
 *     starter already recorded it in the CRM tables ({@code SCHEDULED}, the lead's {@code
 *     next_send_at}) and passes the plan as the workflow's input; {@code null} when the workflow
 *     loads the plan itself ({@link LeadActivities#begin}, which records nothing of the kind)
 */
public record SequencePlan(
    List<PlannedStep> steps, int lastSentStep, LeadStatus terminalStatus, Long firstDueAtMillis) {

  public SequencePlan {
    steps = List.copyOf(steps);
  }

  public SequencePlan(List<PlannedStep> steps, int lastSentStep, LeadStatus terminalStatus) {
    this(steps, lastSentStep, terminalStatus, null);
  }
}
