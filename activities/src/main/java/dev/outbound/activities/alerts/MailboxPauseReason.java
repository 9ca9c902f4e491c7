package dev.outbound.activities.alerts;

/** Why a mailbox was paused, as told to operators. */
public enum MailboxPauseReason {
  /** Too many of its emails bounced: sending on would hurt its reputation. */
  BOUNCES("too many bounces"),
  /** The SMTP server refused its login: its password or app password must be fixed. */
  AUTHENTICATION_FAILURE("the SMTP server refused its login");

  private final String description;

  MailboxPauseReason(String description) {
    this.description = description;
  }

  /** A short explanation for the alert text. */
  public String description() {
    return description;
  }
}
