package dev.outbound.crm.capacity;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A mailbox's capacity today, for {@code GET /api/v1/mailboxes/{id}}.
 *
 * @param mailboxId the mailbox
 * @param day today in the mailbox's zone
 * @param zone the zone whose calendar days the cap counts
 * @param dailyCap the configured cap
 * @param capToday today's cap, lower than {@code dailyCap} while warming up
 * @param warmingUp whether the warm-up still holds today's cap below {@code dailyCap}
 * @param reservedToday reservations counting against today's cap (held and used)
 * @param usedToday of those, the ones sent (marked used)
 * @param remainingToday what today's cap still allows ({@code capToday - reservedToday}, not below
 *     zero)
 * @param nextFreeSlot the earliest instant from now at which the mailbox could take one more send
 *     (cap and gap, without jitter, any lead's window or domain limit), or null when there is none
 *     within the reservation horizon
 */
public record MailboxUsage(
    long mailboxId,
    LocalDate day,
    ZoneId zone,
    int dailyCap,
    int capToday,
    boolean warmingUp,
    int reservedToday,
    int usedToday,
    int remainingToday,
    Instant nextFreeSlot) {}
