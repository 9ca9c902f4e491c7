package dev.outbound.workflows;

import io.temporal.workflow.Workflow;

/**
 * The version gates of {@link LeadSequenceWorkflowImpl}, and which of them a running sequence is
 * past. A sequence asks {@link #SEND_V2}, {@link #LEGIBLE} and {@link #LEAN_STEP} once, in that
 * order, when its workflow method starts, and {@link #AMBIGUOUS_HOLD} only when a send comes back
 * ambiguous. A new sequence is past all four; a replayed one gets the versions its history
 * recorded, and with them the paths in {@link SupersededLeadSequence}. Workflow code only.
 */
final class LeadSequenceVersions {

  /**
   * Version gate for the changes of 2026-11 (replay histories {@code *-v1.json} predate them,
   * {@code *-v2.json} show them): a send that a pause or a stop interrupts is cancelled, mailbox
   * problems hold the lead instead of failing it, a stop that arrives during the last send wins
   * over completion, and a campaign pause holds the lead like an operator pause (with its own
   * resume).
   */
  static final String SEND_V2 = "send-v2";

  /**
   * Version gate (asked only when a send comes back ambiguous; history {@code
   * lead-sequence-v3*.json}): from version 1 on, an ambiguous step holds the lead until an operator
   * resolves it (mark sent, or allow one resend) instead of going on to the next step, so no
   * follow-up answers an email that may never have arrived.
   */
  static final String AMBIGUOUS_HOLD = "ambiguous-hold";

  /**
   * Version gate for the Web UI (histories {@code lead-sequence-v4*.json}): from version 1 on the
   * workflow upserts its status and step as search attributes when its status changes, keeps its
   * current details up to date, and names its timers and activities ("wait for step 2 until ...").
   * IDs, step numbers and times only, never personal data.
   */
  static final String LEGIBLE = "legible-v1";

  /**
   * Version gate for the cost of a step (history {@code lead-sequence-v5*.json}): from version 1
   * on, an email costs a timer and one activity (two billable Temporal actions instead of three).
   * The send activity records the next step {@code SCHEDULED} (or the lead {@code COMPLETED} after
   * the last one) in the transaction that records the send, and returns the next due time the
   * workflow then waits for ({@link SendActivities#sendStepAndSchedule}); the first step's {@code
   * SCHEDULED} comes from the starter with the plan when it passes one (the campaign's enrolment),
   * and the lead's status search attribute given at the start is not upserted again.
   */
  static final String LEAN_STEP = "lean-step-v1";

  private final int sendV2;
  private final int legible;
  private final int lean;

  private LeadSequenceVersions(int sendV2, int legible, int lean) {
    this.sendV2 = sendV2;
    this.legible = legible;
    this.lean = lean;
  }

  /** Asks the three gates every sequence asks as it starts, in the order histories have them. */
  static LeadSequenceVersions askAtStart() {
    int sendV2 = Workflow.getVersion(SEND_V2, Workflow.DEFAULT_VERSION, 1);
    int legible = Workflow.getVersion(LEGIBLE, Workflow.DEFAULT_VERSION, 1);
    int lean = Workflow.getVersion(LEAN_STEP, Workflow.DEFAULT_VERSION, 1);
    return new LeadSequenceVersions(sendV2, legible, lean);
  }

  /**
   * Asks {@link #AMBIGUOUS_HOLD}; call only when a send came back ambiguous, where the histories
   * have it.
   *
   * @return whether an ambiguous step holds the lead (false: it counts as sent, the old way)
   */
  static boolean ambiguousHolds() {
    return Workflow.getVersion(AMBIGUOUS_HOLD, Workflow.DEFAULT_VERSION, 1)
        != Workflow.DEFAULT_VERSION;
  }

  /** Past {@link #SEND_V2}. */
  boolean sendV2() {
    return sendV2 >= 1;
  }

  /** Past {@link #LEGIBLE}. */
  boolean legible() {
    return legible >= 1;
  }

  /** Past {@link #LEAN_STEP}. */
  boolean lean() {
    return lean >= 1;
  }
}
