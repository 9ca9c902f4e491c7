package dev.outbound.api.web;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How large a request body may be. Larger ones are answered 413 before they are read (by their
 * {@code Content-Length}) or as soon as the limit is passed (bodies sent in chunks).
 *
 * @param maxRequestSize {@code OUTBOUND_API_MAX_REQUEST_SIZE}: the limit of every request under
 *     {@code /api/} but the paths below (10 MB: room for {@code max-leads-per-request} leads with
 *     fields)
 * @param maxImportRequestSize {@code OUTBOUND_API_MAX_IMPORT_REQUEST_SIZE}: the limit of the paths
 *     in {@code importPaths}, e.g. a CSV upload of 100,000 leads
 * @param importPaths Ant-style paths that get {@code maxImportRequestSize} instead (the lead
 *     import, {@code /api/v1/campaigns/{id}/imports}, whatever its content type)
 */
@Validated
@ConfigurationProperties("outbound.api")
public record RequestSizeProperties(
    @NotNull @DefaultValue("10MB") DataSize maxRequestSize,
    @NotNull @DefaultValue("100MB") DataSize maxImportRequestSize,
    @NotNull @DefaultValue("/api/v1/campaigns/*/imports") List<String> importPaths) {}
