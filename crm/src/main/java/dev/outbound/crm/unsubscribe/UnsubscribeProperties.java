package dev.outbound.crm.unsubscribe;

import dev.outbound.vocabulary.tokens.UnsubscribeTokens;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of one-click unsubscribe.
 *
 * @param secret the HMAC key that signs unsubscribe tokens, at least 32 bytes (UTF-8). Production
 *     sets {@code OUTBOUND_UNSUBSCRIBE_SECRET}; the api (which verifies) and the worker (which
 *     issues) need the same one and have no default. Changing it invalidates every link in emails
 *     already sent, unless the old value moves to {@code previousSecrets}.
 * @param previousSecrets earlier secrets whose tokens are still accepted (never used to issue), so
 *     that a secret can be rotated without breaking the links in mail already delivered
 * @param baseUrl where the public unsubscribe endpoint is reachable from the internet, e.g. {@code
 *     https://links.agency.example}; links are {@code {baseUrl}/u/{token}}
 * @param mailtoDomain the domain of the {@code mailto:} unsubscribe address, or {@code null} to use
 *     the sending mailbox's own domain
 */
@Validated
@ConfigurationProperties("outbound.unsubscribe")
public record UnsubscribeProperties(
    @NotBlank(
            message =
                "must be set: OUTBOUND_UNSUBSCRIBE_SECRET (outbound.unsubscribe.secret) signs the"
                    + " unsubscribe links; the api and the worker need the same one")
        String secret,
    @DefaultValue List<String> previousSecrets,
    @NotNull(
            message =
                "must be set: OUTBOUND_UNSUBSCRIBE_BASE_URL (outbound.unsubscribe.base-url) is where"
                    + " recipients reach the unsubscribe endpoint")
        URI baseUrl,
    String mailtoDomain) {

  /** The token issuer and verifier these settings describe. */
  public UnsubscribeTokens tokens() {
    return new UnsubscribeTokens(secret, previousSecrets, baseUrl, mailtoDomain);
  }

  /** HMAC-SHA256 keys shorter than its output size weaken it; RFC 2104 recommends at least that. */
  public static final int MIN_SECRET_BYTES = 32;

  public UnsubscribeProperties {
    previousSecrets = previousSecrets == null ? List.of() : List.copyOf(previousSecrets);
    requireLongEnough(secret, "outbound.unsubscribe.secret");
    for (String previous : previousSecrets) {
      if (previous == null || previous.isBlank()) {
        throw new IllegalArgumentException(
            "outbound.unsubscribe.previous-secrets must not contain blank entries");
      }
      requireLongEnough(previous, "outbound.unsubscribe.previous-secrets");
    }
    if (baseUrl != null) {
      String scheme =
          baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("https") || scheme.equals("http"))
          || baseUrl.getHost() == null
          || baseUrl.getRawQuery() != null
          || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "outbound.unsubscribe.base-url must be an absolute http(s) URL without query or"
                + " fragment, was "
                + baseUrl);
      }
    }
  }

  private static void requireLongEnough(String secret, String name) {
    if (secret != null
        && !secret.isBlank()
        && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      // The message names the setting, never the value.
      throw new IllegalArgumentException(
          name + " must be at least " + MIN_SECRET_BYTES + " bytes long");
    }
  }
}
