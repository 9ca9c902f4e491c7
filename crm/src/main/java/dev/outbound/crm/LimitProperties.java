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
 */
@Validated
@ConfigurationProperties("outbound.limits")
public record LimitProperties(
    @DefaultValue("100000") @Min(1) @Max(100_000_000) int maxLeadsPerCampaign) {

  /** The defaults, for code that builds stores by hand. */
  public static LimitProperties defaults() {
    return new LimitProperties(100_000);
  }
}
