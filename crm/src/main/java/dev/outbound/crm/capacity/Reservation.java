package dev.outbound.crm.capacity;

import java.time.Instant;

/**
 * A slot at which one (campaign, lead, step) may be sent from a mailbox.
 *
 * @param id the reservation's ID, for {@link MailboxCapacityStore#markUsed}
 * @param slotAt the earliest instant at which the email may go out
 * @param mailboxId the mailbox it goes out from
 * @param status whether it is still held, used or released
 */
public record Reservation(long id, Instant slotAt, long mailboxId, ReservationStatus status) {

  /** Whether the slot has come at {@code now}, so the email may go out now. */
  public boolean isDue(Instant now) {
    return !slotAt.isAfter(now);
  }
}
