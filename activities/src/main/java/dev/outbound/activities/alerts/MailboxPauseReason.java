package dev.outbound.activities.alerts;

/** Why a mailbox was paused, as told to operators. */
public enum MailboxPauseReason {
  /** Too many of its emails bounced: sending on would hurt its reputation. */
  BOUNCES("too many bounces"),
  /** The SMTP server refused its login: its password or app password must be fixed. */
  AUTHENTICATION_FAILURE("the SMTP server refused its login"),
  /** The SMTP server refuses to send from it for another reason (policy, sending quota). */
  SENDING_REFUSED("the SMTP server refused to send from it"),
  /** The IMAP server refused its login: replies and bounces cannot be read, so nothing is sent. */
  INBOX_LOGIN_REFUSED("the IMAP server refused its login, so replies cannot be read"),
  /**
   * Its SMTP or IMAP host now resolves to an internal address (it passed the check when it was
   * set): the installation does not connect there.
   */
  HOST_NOT_ALLOWED("its SMTP or IMAP host resolves to an internal address"),
  /**
   * Its OAuth2 grant was revoked or expired (the provider answered {@code invalid_grant}): someone
   * must connect the mailbox again.
   */
  OAUTH_GRANT_REVOKED("its OAuth2 consent was revoked or has expired: connect it again"),
  /**
   * Its OAuth2 login cannot work as configured (no OAuth app for its provider, a client secret the
   * provider refuses, a token endpoint that is not allowed).
   */
  OAUTH_NOT_CONFIGURED("its OAuth2 login is not configured correctly"),
  /**
   * Its IMAP server stayed unreachable for too long: replies cannot be read, so it must not send.
   */
  INBOX_UNREACHABLE("its IMAP server has been unreachable for too long, so replies cannot be read");

  private final String description;

  MailboxPauseReason(String description) {
    this.description = description;
  }

  /** A short explanation for the alert text. */
  public String description() {
    return description;
  }
}
