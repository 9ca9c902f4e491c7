package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import io.temporal.common.SearchAttributes;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * What an operator sees of a lead's sequence in the Temporal Web UI, from version {@link
 * LeadSequenceVersions#LEGIBLE} on: its current details, its status and step as search attributes,
 * and names on its timers and send activities. IDs, step numbers and times only, never personal
 * data. A sequence from before that version (a replayed history) shows nothing and names nothing.
 * Workflow code only.
 */
final class LeadSequenceLegibility {

  private final boolean legible;
  private final LeadSequenceState state;
  private final SendActivities unnamedSend;
  private LeadStatus shownStatus;

  LeadSequenceLegibility(boolean legible, LeadSequenceState state) {
    this.legible = legible;
    this.state = state;
    this.unnamedSend =
        Workflow.newActivityStub(SendActivities.class, LeadSequenceActivityOptions.SEND);
  }

  /**
   * From version {@link LeadSequenceVersions#LEAN_STEP} on: takes the lead status search attribute
   * the starter gave as already shown, when the step attribute matches the current step too, so
   * {@link #show} does not upsert what the start already set (an upsert is billable, attributes
   * given at the start are not).
   */
  void takeStatusGivenAtStart() {
    shownStatus = statusGivenAtStart();
  }

  private LeadStatus statusGivenAtStart() {
    SearchAttributes given = Workflow.getTypedSearchAttributes();
    String name = given.get(OutboundSearchAttributes.LEAD_STATUS);
    Long step = given.get(OutboundSearchAttributes.STEP);
    if (name == null || step == null || step != state.currentStep) {
      return null;
    }
    for (LeadStatus candidate : LeadStatus.values()) {
      if (candidate.name().equals(name)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Shows the status: the current details always (free), the search attributes when the status
   * changed (one upsert per change, not per step, to keep the cost per email low).
   */
  void show() {
    if (!legible) {
      return;
    }
    Workflow.setCurrentDetails(
        state.status
            + ", step "
            + state.currentStep
            + " of "
            + state.totalSteps
            + (state.nextDueAt == null
                ? ""
                : ", next due " + Instant.ofEpochMilli(state.nextDueAt) + " (UTC)")
            + "; last: "
            + state.lastOutcome);
    if (state.status != shownStatus) {
      shownStatus = state.status;
      Workflow.upsertTypedSearchAttributes(
          OutboundSearchAttributes.LEAD_STATUS.valueSet(state.status.name()),
          OutboundSearchAttributes.STEP.valueSet((long) state.currentStep));
    }
  }

  /**
   * {@code Workflow.await(timeout, condition)}, its timer named {@code summary}; like it, the timer
   * is cancelled when the condition wins. Returns false when the time ran out.
   */
  boolean awaitNamed(Duration timeout, String summary, Supplier<Boolean> condition) {
    if (!legible) {
      return Workflow.await(timeout, condition);
    }
    return NamedTimers.await(timeout, summary, condition);
  }

  /** The send stub, named after the step. */
  SendActivities sendStub(int stepIndex) {
    if (!legible) {
      return unnamedSend;
    }
    return Workflow.newActivityStub(
        SendActivities.class,
        LeadSequenceActivityOptions.SEND.toBuilder()
            .setSummary("send step " + stepIndex + " of " + state.totalSteps)
            .build());
  }
}
