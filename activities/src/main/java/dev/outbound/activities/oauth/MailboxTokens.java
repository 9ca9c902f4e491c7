package dev.outbound.activities.oauth;

import dev.outbound.crm.oauth.OAuthLogin;

/**
 * Access tokens for mailboxes that log in with OAuth2 (SASL XOAUTH2). Tokens are cached per mailbox
 * and refreshed before they expire; concurrent callers for one mailbox share one refresh (single
 * flight). Thread-safe.
 */
public interface MailboxTokens {

  /**
   * A token for {@code login} that is valid for a while yet: the cached one, or a new one.
   *
   * @throws TokenException when none can be had; its {@link TokenException#kind()} says whether the
   *     grant was revoked (pause the mailbox), the provider is down (try later) or the login cannot
   *     work as configured (pause the mailbox)
   */
  AccessToken current(OAuthLogin login) throws TokenException;

  /**
   * A new token after a server refused {@code rejected} (it may have expired early or been
   * revoked): the rejected one is dropped from the cache, unless another caller already replaced
   * it, whose token is then returned without a second refresh.
   */
  AccessToken renewAfterRejection(OAuthLogin login, AccessToken rejected) throws TokenException;
}
