package dev.outbound.crm.capacity;

/** The life of a mailbox reservation. */
public enum ReservationStatus {
  /** Holds a slot that has not been sent yet; counts against the caps. */
  RESERVED,
  /** The send happened or is under way; counts against the caps for good. */
  USED,
  /** Given back before it was used; counts against nothing. */
  RELEASED
}
