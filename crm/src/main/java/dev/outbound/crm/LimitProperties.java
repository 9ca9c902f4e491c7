package dev.outbound.crm;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-client abuse limits that the stores enforce, whichever path writes (API, import).
 *
 * @param maxLeadsPerCampaign the most leads (enrolments) one campaign may hold, for clients that
 *     have no cap of their own ({@code clients.max_leads_per_campaign}); an add that would pass it
 *     writes nothing
 * @param maxSendsPerClientPerDay the most emails one client may send per UTC day, for clients that
 *     have no cap of their own ({@code clients.max_sends_per_day}); a send over it is deferred to
 *     the next day
 */
@Validated
@ConfigurationProperties("outbound.limits")
public record LimitProperties(
    @DefaultValue("100000") @Min(1) @Max(100_000_000) int maxLeadsPerCampaign,
    @DefaultValue("50000") @Min(1) @Max(100_000_000) int maxSendsPerClientPerDay) {

  /** The defaults, for code that builds stores by hand. */
  public static LimitProperties defaults() {
    return new LimitProperties(100_000, 50_000);
  }
}
