package dev.outbound.launcher;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Local-launcher settings ({@code outbound.dev.*}); the embedded parts' ports are read by {@link
 * EmbeddedStack} before the context exists.
 *
 * @param apiKey the API key of the seeded {@code demo} client ({@code OUTBOUND_DEV_API_KEY})
 * @param smtpPort the embedded SMTP port (3025)
 * @param imapPort the embedded IMAP port (3143)
 */
@Validated
@ConfigurationProperties("outbound.dev")
public record DevProperties(
    @DefaultValue("dev-key") @NotBlank String apiKey,
    @DefaultValue("3025") int smtpPort,
    @DefaultValue("3143") int imapPort) {}
