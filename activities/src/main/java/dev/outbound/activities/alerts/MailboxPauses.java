package dev.outbound.activities.alerts;

import dev.outbound.crm.admin.MailboxStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Pauses a mailbox that must not send on (too many bounces, a refused login) and tells operators
 * once: the alert goes out only when the mailbox changes from active to paused. A campaign left
 * with no active mailbox in its pool cannot send anything, which is reported as the campaign being
 * stopped by an error. An operator fixes the mailbox and resumes it through the API, which also
 * releases the leads held on it.
 */
@Component
public class MailboxPauses {

  /** The error code of a campaign whose every pool mailbox is paused. */
  public static final String ALL_MAILBOXES_PAUSED = "ALL_MAILBOXES_PAUSED";

  private static final Logger log = LoggerFactory.getLogger(MailboxPauses.class);

  private final MailboxStore mailboxes;
  private final OperatorAlerts alerts;

  public MailboxPauses(MailboxStore mailboxes, OperatorAlerts alerts) {
    this.mailboxes = mailboxes;
    this.alerts = alerts;
  }

  /** Pauses the client's mailbox for {@code reason}; returns whether this call paused it. */
  public boolean pause(long clientId, long mailboxId, MailboxPauseReason reason) {
    if (!mailboxes.pause(clientId, mailboxId, reason.description())) {
      return false;
    }
    log.warn("Mailbox {} of client {} paused: {}", mailboxId, clientId, reason.description());
    alerts.mailboxPaused(clientId, mailboxId, reason);
    for (long campaignId : mailboxes.campaignsLeftWithoutMailbox(clientId, mailboxId)) {
      log.warn(
          "Campaign {} of client {} has no active mailbox left and cannot send",
          campaignId,
          clientId);
      alerts.campaignStoppedByError(clientId, campaignId, ALL_MAILBOXES_PAUSED);
    }
    return true;
  }
}
