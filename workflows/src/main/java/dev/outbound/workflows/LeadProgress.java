package dev.outbound.workflows;

import dev.outbound.vocabulary.status.LeadStatus;
import dev.outbound.vocabulary.timeline.TimelineEvent;

/**
 * A change in a lead's sequence that the workflow records in the CRM tables: its status, the step
 * it is at, when the next step is due, and a timeline event explaining why.
 *
 * @param lead the lead
 * @param status the lead's status after the change
 * @param currentStep the last step handled (0 before the first)
 * @param nextSendAtMillis when the next step is due (epoch millis, workflow time), or {@code null}
 * @param event the timeline event (the workflow records the sequence's states: see {@link
 *     TimelineEvent})
 * @param step the step the event is about, or 0
 * @param detail a short human-readable reason, without personal data
 */
public record LeadProgress(
    LeadRef lead,
    LeadStatus status,
    int currentStep,
    Long nextSendAtMillis,
    TimelineEvent event,
    int step,
    String detail) {}
