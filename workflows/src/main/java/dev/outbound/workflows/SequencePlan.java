package dev.outbound.workflows;

import java.util.List;

/**
 * What a lead workflow loads when it begins: the steps to run and, when the lead is already
 * finished (e.g. an operator marked it replied before the workflow started), its terminal status.
 *
 * @param steps the campaign's steps in order
 * @param lastSentStep the highest step already in the send ledger as sent (0 when none), so a
 *     sequence that is started again continues after it instead of from the beginning
 * @param terminalStatus the lead's status when it is already terminal, otherwise {@code null}
 */
public record SequencePlan(List<PlannedStep> steps, int lastSentStep, LeadStatus terminalStatus) {

  public SequencePlan {
    steps = List.copyOf(steps);
  }
}
