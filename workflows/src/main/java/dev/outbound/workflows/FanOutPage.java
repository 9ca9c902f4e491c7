package dev.outbound.workflows;

/**
 * One batch of a fan-out over a campaign's leads (enrolment or signals).
 *
 * @param processed how many leads the batch handled
 * @param lastLeadId the highest lead ID handled, the cursor for the next batch
 * @param more whether another batch may have work
 */
public record FanOutPage(int processed, long lastLeadId, boolean more) {}
