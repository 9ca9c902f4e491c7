package dev.outbound.crm.imports;

import java.time.Instant;
import java.util.List;

/**
 * An import as stored.
 *
 * @param totalRows rows in the upload (empty lines not counted)
 * @param stagedRows rows that passed the upload's checks and are (or were) written in batches
 * @param batchCount batches of at most {@code batchSize} staged rows, numbered from 1
 * @param accepted leads enrolled so far
 * @param rejected rows rejected so far (by the upload's checks and by the written batches)
 * @param committedBatches the numbers of the batches that are written, in order
 * @param error why the import failed, or null
 * @param warning what is left to do although the import is done, or null
 */
public record ImportSummary(
    long id,
    long campaignId,
    ImportFormat format,
    ImportStatus status,
    int totalRows,
    int stagedRows,
    int batchSize,
    int batchCount,
    int accepted,
    int rejected,
    List<Integer> committedBatches,
    String error,
    String warning,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  public ImportSummary {
    committedBatches = List.copyOf(committedBatches);
  }
}
