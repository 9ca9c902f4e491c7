package dev.outbound.vocabulary.mailbox;

import java.util.Arrays;
import java.util.Optional;

/** How a mailbox's OAuth2 access tokens are obtained. */
public enum OAuthGrant {
  /**
   * A person consented for this one mailbox (authorization code with PKCE); Outbound keeps the
   * refresh token, encrypted, and trades it for access tokens.
   */
  AUTHORIZATION_CODE,
  /**
   * The client's administrator granted an app access to every mailbox of a domain once: Microsoft
   * 365's client-credentials grant, or a Google Workspace service account with domain-wide
   * delegation that signs a JWT naming the mailbox. No refresh token is stored per mailbox.
   */
  APP_ONLY;

  /** The value named {@code name} exactly, or empty. */
  public static Optional<OAuthGrant> parse(String name) {
    return Arrays.stream(values()).filter(v -> v.name().equals(name)).findFirst();
  }
}
