package dev.outbound.activities.oauth;

import java.time.Instant;

/**
 * An OAuth2 access token and when it expires. {@link #toString()} never shows the token.
 *
 * @param value the bearer token, for SASL XOAUTH2 only: never logged, never stored
 */
public record AccessToken(String value, Instant expiresAt) {

  public AccessToken {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("an access token is not empty");
    }
  }

  @Override
  public String toString() {
    return "AccessToken[expires " + expiresAt + "]";
  }
}
