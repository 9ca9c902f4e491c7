package dev.outbound.api.limits;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request rate limits per API key: a token bucket of {@code burst} requests that refills at {@code
 * requestsPerMinute}. Each API-server process keeps its own buckets in memory, so with N replicas a
 * key may make up to N times as many requests; the limit is against abuse, not for billing.
 *
 * @param enabled {@code OUTBOUND_API_RATE_LIMIT_ENABLED}; false turns rate limiting off
 * @param requestsPerMinute the sustained rate one key may keep up
 * @param burst how many requests one key may make at once after a pause
 */
@Validated
@ConfigurationProperties("outbound.api.rate-limit")
public record RateLimitProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("600") @Min(1) @Max(1_000_000) int requestsPerMinute,
    @DefaultValue("100") @Min(1) @Max(1_000_000) int burst) {}
