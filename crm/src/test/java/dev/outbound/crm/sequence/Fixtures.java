package dev.outbound.crm.sequence;

import dev.outbound.crm.testing.CrmFixtures;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Inserts the rows the sequence stores read, with SQL, for repository tests. */
final class Fixtures extends CrmFixtures {

  Fixtures(JdbcClient jdbc) {
    super(jdbc);
  }

  long mailbox(long client, String email) {
    return jdbc.sql(
            "insert into mailboxes (client_id, email, display_name, smtp_host, smtp_port, smtp_tls,"
                + " daily_cap, min_gap_seconds) values (:client, :email, 'Sender', 'localhost', 25,"
                + " false, 100, 0) returning id")
        .param("client", client)
        .param("email", email)
        .query(Long.class)
        .single();
  }

  long lead(long client, String email, String fieldsJson) {
    return jdbc.sql(
            "insert into leads (client_id, email, first_name, last_name, company, timezone, fields)"
                + " values (:client, :email, 'Ada', 'Lovelace', 'Engines', 'Europe/London',"
                + " cast(:fields as jsonb)) returning id")
        .param("client", client)
        .param("email", email)
        .param("fields", fieldsJson)
        .query(Long.class)
        .single();
  }

  void start(long client, long enrolment) {
    jdbc.sql("update enrolments set started_at = now() where client_id = :client and id = :id")
        .param("client", client)
        .param("id", enrolment)
        .update();
  }

  int events(long enrolment, String type) {
    return jdbc.sql("select count(*) from lead_events where enrolment_id = :id and type = :type")
        .param("id", enrolment)
        .param("type", type)
        .query(Integer.class)
        .single();
  }
}
