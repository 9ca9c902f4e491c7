package dev.outbound.activities;

import dev.outbound.crm.testing.CrmFixtures;
import dev.outbound.vocabulary.tokens.CredentialCipher;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Inserts and reads CRM rows with plain SQL, so tests do not depend on the code under test. */
public final class TestData extends CrmFixtures {

  private final CredentialCipher cipher;

  public TestData(JdbcClient jdbc, CredentialCipher cipher) {
    super(jdbc);
    this.cipher = cipher;
  }

  /** A client whose slug starts with {@code slugPrefix} and is unique in the database. */
  @Override
  public long client(String slugPrefix) {
    return super.client(slugPrefix + "-" + System.nanoTime());
  }

  /** A mailbox without SMTP authentication. */
  public long mailbox(long client, String email, String displayName, int smtpPort) {
    return mailbox(client, email, displayName, smtpPort, null, null);
  }

  public long mailbox(
      long client, String email, String displayName, int smtpPort, String user, String password) {
    return jdbc.sql(
            "insert into mailboxes (client_id, email, display_name, smtp_host, smtp_port,"
                + " smtp_username, smtp_password_enc, smtp_tls, daily_cap, min_gap_seconds)"
                + " values (:client, :email, :name, '127.0.0.1', :port, :user, :password, false,"
                + " 100, 0) returning id")
        .param("client", client)
        .param("email", email)
        .param("name", displayName)
        .param("port", smtpPort)
        .param("user", user)
        .param("password", cipher.encrypt(password))
        .query(Long.class)
        .single();
  }

  public long lead(long client, String email, String firstName, String company, String fields) {
    return jdbc.sql(
            "insert into leads (client_id, email, first_name, last_name, company, timezone, fields)"
                + " values (:client, :email, :first, 'Lovelace', :company, 'Europe/London',"
                + " cast(:fields as jsonb)) returning id")
        .param("client", client)
        .param("email", email)
        .param("first", firstName)
        .param("company", company)
        .param("fields", fields)
        .query(Long.class)
        .single();
  }

  public void started(long enrolment, boolean started) {
    jdbc.sql("update enrolments set started_at = case when :started then now() end where id = :id")
        .param("started", started)
        .param("id", enrolment)
        .update();
  }

  public void ledgerRow(
      long client, long campaign, long enrolment, int step, long mailbox, String status) {
    jdbc.sql(
            "insert into send_ledger (client_id, campaign_id, enrolment_id, step_index, mailbox_id,"
                + " message_id, status) values (:client, :campaign, :lead, :step, :mailbox,"
                + " :messageId, :status)")
        .param("client", client)
        .param("campaign", campaign)
        .param("lead", enrolment)
        .param("step", step)
        .param("mailbox", mailbox)
        .param("messageId", "<test.c" + campaign + ".l" + enrolment + ".s" + step + "@acme.test>")
        .param("status", status)
        .update();
  }

  /** Sets whether the step's claim may have handed its content to SMTP. */
  public void contentStarted(long enrolment, int step, boolean started) {
    jdbc.sql(
            "update send_ledger set content_started = :started"
                + " where enrolment_id = :lead and step_index = :step")
        .param("started", started)
        .param("lead", enrolment)
        .param("step", step)
        .update();
  }

  /**
   * The ledger status of the step, or null when it was never claimed (or the claim was released).
   */
  public String ledgerStatus(long enrolment, int step) {
    return jdbc.sql(
            "select status from send_ledger where enrolment_id = :lead and step_index = :step")
        .param("lead", enrolment)
        .param("step", step)
        .query(String.class)
        .optional()
        .orElse(null);
  }

  public String ledgerError(long enrolment, int step) {
    return jdbc.sql(
            "select error from send_ledger where enrolment_id = :lead and step_index = :step")
        .param("lead", enrolment)
        .param("step", step)
        .query(String.class)
        .single();
  }

  public Long mailboxOf(long enrolment) {
    return column(enrolment, "mailbox_id", Long.class);
  }

  public <T> T column(long enrolment, String column, Class<T> type) {
    // The column name is a constant chosen by the test, never input.
    return jdbc.sql("select " + column + " from enrolments where id = :id")
        .param("id", enrolment)
        .query(type)
        .optional()
        .orElse(null);
  }

  /** The enrolment's timeline as "TYPE step: detail" lines, oldest first. */
  public List<String> events(long enrolment) {
    return jdbc.sql(
            "select type || ' ' || step || ': ' || coalesce(detail, '') from lead_events"
                + " where enrolment_id = :id order by id")
        .param("id", enrolment)
        .query(String.class)
        .list();
  }
}
