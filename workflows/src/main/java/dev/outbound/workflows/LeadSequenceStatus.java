package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;

/**
 * The lead workflow's live status, answered by its query.
 *
 * @param status where the lead stands
 * @param currentStep the last step handled (0 before the first)
 * @param totalSteps the number of steps in the sequence
 * @param nextDueAtMillis when the next step is due (epoch millis), or {@code null}
 * @param lastOutcome the last thing that happened, e.g. {@code SENT step 1}
 */
public record LeadSequenceStatus(
    LeadStatus status, int currentStep, int totalSteps, Long nextDueAtMillis, String lastOutcome) {}
