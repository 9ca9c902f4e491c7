package dev.outbound.crm;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the CRM part.
 *
 * @param credentialsKey the secret that encrypts mailbox passwords at rest (any string; a 256-bit
 *     AES key is derived from it). Production sets {@code OUTBOUND_CREDENTIALS_KEY}; the local
 *     default is a development key and is logged as such.
 */
@Validated
@ConfigurationProperties("outbound.crm")
public record CrmProperties(@NotBlank String credentialsKey) {

  /** The development default, only fit for local runs and tests. */
  public static final String DEV_CREDENTIALS_KEY =
      "outbound-dev-credentials-key-not-for-production";
}
