package dev.outbound.workflows;

/**
 * The one place workflow IDs are built. IDs are made of internal numeric IDs only, never of an
 * email address or a name, and read well in the Temporal Web UI: {@code campaign-12-lead-345}.
 */
public final class WorkflowIds {

  private WorkflowIds() {}

  /** The lead sequence of lead {@code leadId} (an enrolment) in campaign {@code campaignId}. */
  public static String leadSequence(long campaignId, long leadId) {
    requirePositive(campaignId, "campaignId");
    requirePositive(leadId, "leadId");
    return "campaign-" + campaignId + "-lead-" + leadId;
  }

  /** The workflow that enrols a campaign's leads and fans out its pause, resume and stop. */
  public static String campaign(long campaignId) {
    requirePositive(campaignId, "campaignId");
    return "campaign-" + campaignId;
  }

  /** The watcher of the INBOX of mailbox {@code mailboxId} of client {@code clientId}. */
  public static String inboxWatcher(long clientId, long mailboxId) {
    requirePositive(clientId, "clientId");
    requirePositive(mailboxId, "mailboxId");
    return "client-" + clientId + "-mailbox-" + mailboxId + "-inbox";
  }

  private static void requirePositive(long id, String name) {
    if (id <= 0) {
      throw new IllegalArgumentException(name + " must be a positive internal ID, was " + id);
    }
  }
}
