package dev.outbound.worker.observability;

import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the worker reports to Sentry.
 *
 * @param expectedFailureTypes {@code ApplicationFailure} types that are outcomes of the business,
 *     not errors, and so are never reported: by default a recipient rejected by the SMTP server
 *     ({@code SMTP_PERMANENT}) and an unusable lead address ({@code INVALID_ADDRESS}); the lead
 *     ends {@code FAILED} with the reason on its timeline, where operators look for it
 */
@Validated
@ConfigurationProperties("outbound.errors")
public record ErrorReportingProperties(
    @DefaultValue({"SMTP_PERMANENT", "INVALID_ADDRESS"}) List<String> expectedFailureTypes) {

  public ErrorReportingProperties {
    expectedFailureTypes =
        expectedFailureTypes == null ? List.of() : List.copyOf(expectedFailureTypes);
  }

  Set<String> expected() {
    return Set.copyOf(expectedFailureTypes);
  }
}
