package dev.outbound.crm;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the CRM part.
 *
 * @param credentialsKey the secret that encrypts mailbox passwords at rest (any string; a 256-bit
 *     AES key is derived from it). Production sets {@code OUTBOUND_CREDENTIALS_KEY}; the api and
 *     the worker have no default and do not start without it. Only the local launcher defaults to
 *     the development key, which is logged as such.
 */
@Validated
@ConfigurationProperties("outbound.crm")
public record CrmProperties(
    @NotBlank(
            message =
                "must be set: OUTBOUND_CREDENTIALS_KEY (outbound.crm.credentials-key) is the secret"
                    + " that encrypts mailbox passwords; the api and the worker need the same one")
        String credentialsKey) {

  /** The development default, only fit for local runs and tests. */
  public static final String DEV_CREDENTIALS_KEY =
      "outbound-dev-credentials-key-not-for-production";
}
