package dev.outbound.api.web;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the REST API.
 *
 * @param maxLeadsPerRequest the most leads one {@code POST .../leads} may carry (larger lists are
 *     rejected with 400; send them in several requests)
 * @param defaultPageSize the page size when a listing does not ask for one
 * @param maxPageSize the largest page size a listing accepts
 */
@Validated
@ConfigurationProperties("outbound.api")
public record ApiProperties(
    @DefaultValue("10000") @Min(1) @Max(100_000) int maxLeadsPerRequest,
    @DefaultValue("50") @Min(1) int defaultPageSize,
    @DefaultValue("500") @Min(1) int maxPageSize) {}
