package dev.outbound.activities.send;

import dev.outbound.crm.sequence.MailboxSettings;
import dev.outbound.crm.sequence.SendContext;
import dev.outbound.vocabulary.status.CampaignStatus;
import dev.outbound.vocabulary.status.LeadStatus;
import java.time.ZoneOffset;
import java.util.Map;

/** Send contexts built by hand, for the tests of one part of the send script without a database. */
final class SendContexts {

  static final long CLIENT = 7;
  static final long CAMPAIGN = 11;
  static final long LEAD = 13;

  private SendContexts() {}

  /** Step {@code step} of an active lead in an active campaign, with no mailbox assigned yet. */
  static SendContext step(int step, String subject, String body, String firstStepSubject) {
    return new SendContext(
        CLIENT,
        CAMPAIGN,
        LEAD,
        LeadStatus.ACTIVE.name(),
        null,
        CampaignStatus.ACTIVE.name(),
        step,
        subject,
        body,
        firstStepSubject,
        new SendContext.Lead(
            "ada@example.test", "Ada", "Lovelace", "Engines & <Co>", null, Map.of("role", "CTO")),
        new SendContext.Delivery(null, ZoneOffset.UTC, null, null),
        null,
        null,
        new SendContext.Client(null, null));
  }

  /** An active mailbox on {@code smtp.acme.test} without credentials. */
  static MailboxSettings mailbox(long id) {
    return new MailboxSettings(
        id, "sales@acme.test", "Sam Sales", "smtp.acme.test", 587, null, null, true, "ACTIVE");
  }
}
