package dev.outbound.crm.admin;

import dev.outbound.crm.TimelineStore;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Operator resolution of ambiguous sends: a step that a crash left between handing the mail to SMTP
 * and recording it is not re-sent by policy; an operator who has confirmed it was delivered (e.g.
 * in the mailbox's Sent folder or the recipient's reply) marks it sent.
 */
@Repository
public class AmbiguousSendStore {

  private final JdbcClient jdbc;
  private final TimelineStore timeline;

  public AmbiguousSendStore(JdbcClient jdbc, TimelineStore timeline) {
    this.jdbc = jdbc;
    this.timeline = timeline;
  }

  /** The ledger status of the lead's step, or empty when the step was never claimed. */
  public Optional<String> status(long clientId, long leadId, int step) {
    return jdbc.sql(
            "select status from send_ledger"
                + " where client_id = :client and enrolment_id = :lead and step_index = :step")
        .param("client", clientId)
        .param("lead", leadId)
        .param("step", step)
        .query(String.class)
        .optional();
  }

  /**
   * Marks the lead's ambiguous step sent, with a timeline event, in one transaction. Returns false
   * (and changes nothing) when the step is not ambiguous.
   */
  @Transactional
  public boolean markSent(long clientId, long leadId, int step) {
    int changed =
        jdbc.sql(
                "update send_ledger set status = 'SENT', sent_at = coalesce(sent_at, claimed_at)"
                    + " where client_id = :client and enrolment_id = :lead and step_index = :step"
                    + " and status = 'AMBIGUOUS'")
            .param("client", clientId)
            .param("lead", leadId)
            .param("step", step)
            .update();
    if (changed == 1) {
      timeline.append(
          clientId, leadId, "AMBIGUOUS_RESOLVED", step, "an operator confirmed it was sent");
    }
    return changed == 1;
  }
}
