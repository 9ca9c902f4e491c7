package dev.outbound.crm.capacity;

import dev.outbound.crm.testing.CrmFixtures;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Mailboxes with pacing settings, and leads enrolled in campaigns, inserted with plain SQL. */
class CapacityFixtures extends CrmFixtures {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  CapacityFixtures(JdbcClient jdbc) {
    super(jdbc);
  }

  long mailbox(long client, int dailyCap, int minGapSeconds, int jitterSeconds, String zone) {
    return jdbc.sql(
            "insert into mailboxes (client_id, email, display_name, smtp_host, smtp_port, smtp_tls,"
                + " daily_cap, min_gap_seconds, jitter_seconds, timezone)"
                + " values (:client, :email, 'Sender', 'localhost', 25, false, :cap, :gap, :jitter,"
                + " :zone) returning id")
        .param("client", client)
        .param("email", "sender" + SEQUENCE.incrementAndGet() + "@agency.test")
        .param("cap", dailyCap)
        .param("gap", minGapSeconds)
        .param("jitter", jitterSeconds)
        .param("zone", zone)
        .query(Long.class)
        .single();
  }

  void warmup(long mailbox, int startCap, int dailyIncrease, LocalDate startedOn) {
    jdbc.sql(
            "update mailboxes set warmup_start_cap = :start, warmup_daily_increase = :increase,"
                + " warmup_started_on = :on where id = :id")
        .param("start", startCap)
        .param("increase", dailyIncrease)
        .param("on", startedOn)
        .param("id", mailbox)
        .update();
  }

  void pause(long mailbox) {
    jdbc.sql("update mailboxes set status = 'PAUSED' where id = :id").param("id", mailbox).update();
  }

  /** A new lead enrolled in the campaign; returns the enrolment's ID. */
  long lead(long client, long campaign) {
    long lead = person(client, "lead" + SEQUENCE.incrementAndGet() + "@example.test");
    return enrolment(client, campaign, lead, "ACTIVE");
  }

  String reservationStatus(long reservation) {
    return jdbc.sql("select status from mailbox_reservations where id = :id")
        .param("id", reservation)
        .query(String.class)
        .single();
  }

  /** The day count the store keeps, and the count of the rows it summarises, for one day. */
  int[] counts(long mailbox, LocalDate day) {
    int kept =
        jdbc.sql(
                "select coalesce(sum(reserved), 0) from mailbox_day_counts"
                    + " where mailbox_id = :mailbox and cap_day = :day")
            .param("mailbox", mailbox)
            .param("day", day)
            .query(Integer.class)
            .single();
    int rows =
        jdbc.sql(
                "select count(*) from mailbox_reservations where mailbox_id = :mailbox"
                    + " and cap_day = :day and status <> 'RELEASED'")
            .param("mailbox", mailbox)
            .param("day", day)
            .query(Integer.class)
            .single();
    return new int[] {kept, rows};
  }
}
