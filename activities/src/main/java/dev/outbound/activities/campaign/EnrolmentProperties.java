package dev.outbound.activities.campaign;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a campaign's leads are enrolled ({@code outbound.enrolment.*}).
 *
 * @param startConcurrency how many lead workflow starts one enrolment page keeps in flight at once
 *     ({@code OUTBOUND_ENROLMENT_START_CONCURRENCY}). A start is one round trip to the Temporal
 *     frontend: against a remote cluster the round trip, not this worker's CPU, bounds a serial
 *     loop, so a few dozen in flight keep the launch fast; more only queue at the frontend and
 *     count against the namespace's rate limits.
 */
@Validated
@ConfigurationProperties("outbound.enrolment")
public record EnrolmentProperties(@DefaultValue("32") @Min(1) @Max(512) int startConcurrency) {

  /** The defaults, for code that builds the activities without Spring. */
  public static EnrolmentProperties defaults() {
    return new EnrolmentProperties(32);
  }
}
