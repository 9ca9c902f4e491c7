package dev.outbound.crm.oauth;

import dev.outbound.vocabulary.mailbox.MailProvider;
import dev.outbound.vocabulary.mailbox.OAuthGrant;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What it takes to get an access token for one mailbox's OAuth2 (SASL XOAUTH2) login, as stored.
 * The refresh token stays encrypted here; the token service decrypts it right before use. {@link
 * #toString()} leaves it out.
 *
 * @param username the SASL XOAUTH2 user: the mailbox's address (or the login name stored for it)
 * @param refreshTokenEnc the encrypted refresh token of an {@link OAuthGrant#AUTHORIZATION_CODE}
 *     grant; null for {@link OAuthGrant#APP_ONLY}
 * @param tokenEndpoint a {@link MailProvider#CUSTOM} provider's token endpoint; null for presets
 */
public record OAuthLogin(
    long clientId,
    long mailboxId,
    MailProvider provider,
    OAuthGrant grant,
    String username,
    String refreshTokenEnc,
    String tokenEndpoint) {

  /**
   * The columns a query must select (from {@code mailboxes}, with the prefix it uses) for {@link
   * #of}.
   */
  public static String columns(String prefix) {
    return prefix
        + "auth, "
        + prefix
        + "provider, "
        + prefix
        + "oauth_grant, "
        + prefix
        + "oauth_refresh_token_enc, "
        + prefix
        + "oauth_token_endpoint";
  }

  /**
   * The row's OAuth2 login, or null when the mailbox logs in with a password.
   *
   * @param username the login name the row gives for the server in question (SMTP or IMAP), or null
   *     for the mailbox's address
   */
  public static OAuthLogin of(
      ResultSet rs, long clientId, long mailboxId, String email, String username)
      throws SQLException {
    if (!"OAUTH2".equals(rs.getString("auth"))) {
      return null;
    }
    return new OAuthLogin(
        clientId,
        mailboxId,
        MailProvider.valueOf(rs.getString("provider")),
        OAuthGrant.valueOf(rs.getString("oauth_grant")),
        username == null || username.isBlank() ? email : username,
        rs.getString("oauth_refresh_token_enc"),
        rs.getString("oauth_token_endpoint"));
  }

  @Override
  public String toString() {
    return "OAuthLogin[client "
        + clientId
        + ", mailbox "
        + mailboxId
        + ", "
        + provider
        + ", "
        + grant
        + "]";
  }
}
