package dev.outbound.activities.oauth;

/** No access token could be had; {@link #kind()} says what the caller should do. */
public class TokenException extends Exception {

  /** What went wrong, sorted by what it means for the mailbox. */
  public enum Kind {
    /**
     * The provider answered {@code invalid_grant}: consent was revoked or expired, or the account
     * is disabled. Only a person can fix it: the mailbox is paused and operators are told.
     */
    REVOKED,
    /** The token endpoint could not be reached or failed (timeout, 5xx, 429): try again later. */
    UNAVAILABLE,
    /**
     * The login cannot work as configured: no OAuth app for the provider, a client secret the
     * provider refuses ({@code invalid_client}), a token endpoint the host policy refuses, a key
     * that does not decrypt. The mailbox is paused until an operator fixes it.
     */
    NOT_CONFIGURED
  }

  private final Kind kind;

  public TokenException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public TokenException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
