package dev.outbound.api.leads;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/leads/{id}/events}: something an operator learned outside the system. Each
 * type is also the terminal lead status it sets.
 */
record OperatorEvent(@NotNull Type type, @Size(max = 2000) String note) {

  enum Type {
    REPLIED,
    MEETING_BOOKED,
    UNSUBSCRIBED
  }
}
