package dev.outbound.api.imports;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of lead imports ({@code POST /api/v1/campaigns/{id}/imports}).
 *
 * @param maxRows the most rows one upload may have (empty lines not counted); more is a 413
 * @param maxBytes the largest upload body; more is a 413, noticed while the body streams in
 * @param batchSize staged rows written per transaction; a batch is written completely or not at all
 * @param inlineMaxRows uploads of at most this many rows are written during the request and answer
 *     201 with the report; larger ones answer 202 and are written in the background
 * @param dedupAcrossCampaigns whether a row is rejected when its person has a lead still to run or
 *     running in another ACTIVE or PAUSED campaign of the client
 * @param threads background imports written at the same time (each uses one database connection)
 */
@Validated
@ConfigurationProperties("outbound.api.import")
public record ImportProperties(
    @DefaultValue("100000") @Min(1) @Max(1_000_000) int maxRows,
    @DefaultValue("30MB") @NotNull DataSize maxBytes,
    @DefaultValue("5000") @Min(1) @Max(50_000) int batchSize,
    @DefaultValue("1000") @Min(0) int inlineMaxRows,
    @DefaultValue("true") boolean dedupAcrossCampaigns,
    @DefaultValue("1") @Min(1) @Max(16) int threads) {

  public ImportProperties {
    if (maxBytes != null && maxBytes.toBytes() < 1) {
      throw new IllegalArgumentException("outbound.api.import.max-bytes must be at least 1 byte");
    }
  }
}
