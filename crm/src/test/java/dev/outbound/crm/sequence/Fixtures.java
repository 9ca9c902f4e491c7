package dev.outbound.crm.sequence;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Inserts the rows the sequence stores read, with SQL, for repository tests. */
final class Fixtures {

  private final JdbcClient jdbc;

  Fixtures(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  long client(String slug) {
    return jdbc.sql("insert into clients (slug, name) values (:slug, :slug) returning id")
        .param("slug", slug)
        .query(Long.class)
        .single();
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

  long campaign(long client, String status, long... mailboxes) {
    long id =
        jdbc.sql(
                "insert into campaigns (client_id, name, timezone, status)"
                    + " values (:client, 'Campaign', 'Europe/Berlin', :status) returning id")
            .param("client", client)
            .param("status", status)
            .query(Long.class)
            .single();
    for (long mailbox : mailboxes) {
      jdbc.sql(
              "insert into campaign_mailboxes (client_id, campaign_id, mailbox_id)"
                  + " values (:client, :campaign, :mailbox)")
          .param("client", client)
          .param("campaign", id)
          .param("mailbox", mailbox)
          .update();
    }
    return id;
  }

  void step(long client, long campaign, int index, long delaySeconds, String subject, String body) {
    jdbc.sql(
            "insert into sequence_steps (client_id, campaign_id, step_index, delay_seconds,"
                + " subject, body) values (:client, :campaign, :index, :delay, :subject, :body)")
        .param("client", client)
        .param("campaign", campaign)
        .param("index", index)
        .param("delay", delaySeconds)
        .param("subject", subject)
        .param("body", body)
        .update();
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

  long enrolment(long client, long campaign, long lead, String status) {
    return jdbc.sql(
            "insert into enrolments (client_id, campaign_id, lead_id, status)"
                + " values (:client, :campaign, :lead, :status) returning id")
        .param("client", client)
        .param("campaign", campaign)
        .param("lead", lead)
        .param("status", status)
        .query(Long.class)
        .single();
  }

  void start(long client, long enrolment) {
    jdbc.sql("update enrolments set started_at = now() where client_id = :client and id = :id")
        .param("client", client)
        .param("id", enrolment)
        .update();
  }

  void campaignStatus(long campaign, String status) {
    jdbc.sql("update campaigns set status = :status where id = :id")
        .param("status", status)
        .param("id", campaign)
        .update();
  }

  void enrolmentStatus(long enrolment, String status) {
    jdbc.sql("update enrolments set status = :status where id = :id")
        .param("status", status)
        .param("id", enrolment)
        .update();
  }

  String status(long enrolment) {
    return jdbc.sql("select status from enrolments where id = :id")
        .param("id", enrolment)
        .query(String.class)
        .single();
  }

  int events(long enrolment, String type) {
    return jdbc.sql("select count(*) from lead_events where enrolment_id = :id and type = :type")
        .param("id", enrolment)
        .param("type", type)
        .query(Integer.class)
        .single();
  }
}
