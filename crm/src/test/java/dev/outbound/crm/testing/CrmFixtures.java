package dev.outbound.crm.testing;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Inserts and reads the CRM rows tests need, with plain SQL, so that tests do not depend on the
 * code under test. Shared by the modules' tests through the crm test-jar; extend it for
 * module-specific rows.
 */
public class CrmFixtures {

  protected final JdbcClient jdbc;

  public CrmFixtures(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A client with exactly this slug. */
  public long client(String slug) {
    return jdbc.sql("insert into clients (slug, name) values (:slug, :slug) returning id")
        .param("slug", slug)
        .query(Long.class)
        .single();
  }

  /** A campaign in {@code status} whose pool holds {@code mailboxes}. */
  public long campaign(long client, String status, long... mailboxes) {
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

  public void step(
      long client, long campaign, int index, long delaySeconds, String subject, String body) {
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

  /** A person of the client (a {@code leads} row); returns its ID. */
  public long person(long client, String email) {
    return jdbc.sql("insert into leads (client_id, email) values (:client, :email) returning id")
        .param("client", client)
        .param("email", email)
        .query(Long.class)
        .single();
  }

  public long enrolment(long client, long campaign, long lead, String status) {
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

  public void campaignStatus(long campaign, String status) {
    jdbc.sql("update campaigns set status = :status where id = :id")
        .param("status", status)
        .param("id", campaign)
        .update();
  }

  public void enrolmentStatus(long enrolment, String status) {
    jdbc.sql("update enrolments set status = :status where id = :id")
        .param("status", status)
        .param("id", enrolment)
        .update();
  }

  /** The enrolment's status. */
  public String status(long enrolment) {
    return jdbc.sql("select status from enrolments where id = :id")
        .param("id", enrolment)
        .query(String.class)
        .single();
  }
}
