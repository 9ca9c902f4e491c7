package dev.outbound.activities.oauth;

import dev.outbound.crm.oauth.OAuthLogin;
import org.springframework.stereotype.Component;

/** Placeholder until the token service lands: every OAuth2 login is refused as not configured. */
@Component
class UnconfiguredMailboxTokens implements MailboxTokens {

  @Override
  public AccessToken current(OAuthLogin login) throws TokenException {
    throw new TokenException(TokenException.Kind.NOT_CONFIGURED, "OAuth2 is not available yet");
  }

  @Override
  public AccessToken renewAfterRejection(OAuthLogin login, AccessToken rejected)
      throws TokenException {
    return current(login);
  }
}
