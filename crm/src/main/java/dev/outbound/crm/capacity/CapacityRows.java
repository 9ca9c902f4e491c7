package dev.outbound.crm.capacity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** How the capacity tables' rows and timestamps read and write, shared by the capacity stores. */
final class CapacityRows {

  private CapacityRows() {}

  static Reservation reservation(ResultSet rs, int n) throws SQLException {
    return new Reservation(
        rs.getLong("id"),
        instant(rs, "slot_at"),
        rs.getLong("mailbox_id"),
        ReservationStatus.valueOf(rs.getString("status")));
  }

  static MailboxLimits limits(ResultSet rs, int n) throws SQLException {
    return new MailboxLimits(
        rs.getLong("id"),
        rs.getInt("daily_cap"),
        Duration.ofSeconds(rs.getInt("min_gap_seconds")),
        Duration.ofSeconds(rs.getInt("jitter_seconds")),
        rs.getObject("warmup_start_cap", Integer.class),
        rs.getObject("warmup_daily_increase", Integer.class),
        rs.getObject("warmup_started_on", LocalDate.class),
        ZoneId.of(rs.getString("timezone")));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
