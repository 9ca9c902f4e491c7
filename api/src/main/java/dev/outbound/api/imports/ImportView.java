package dev.outbound.api.imports;

import dev.outbound.crm.admin.Page;
import dev.outbound.crm.imports.ImportFormat;
import dev.outbound.crm.imports.ImportStatus;
import dev.outbound.crm.imports.ImportSummary;
import dev.outbound.crm.imports.RowRejection;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * A lead import and its report.
 *
 * @param rows rows in the upload (empty lines not counted)
 * @param accepted leads added to the campaign so far
 * @param rejected rows not added so far, each listed in {@code rejections} with its reasons
 */
record ImportView(
    long id,
    long campaignId,
    ImportFormat format,
    @Schema(description = "QUEUED, RUNNING, DONE or FAILED") ImportStatus status,
    int rows,
    int accepted,
    int rejected,
    Batches batches,
    @Schema(description = "Why the import failed; POST /api/v1/imports/{id}/resume retries it")
        String error,
    @Schema(description = "What is left to do although the import is done") String warning,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    RejectionPage rejections) {

  /**
   * How the rows that passed the upload's checks are written: in batches of {@code size}, each
   * all-or-nothing; {@code committed} lists the numbers (from 1) of the batches written.
   */
  record Batches(int size, int total, List<Integer> committed) {}

  /** One page of the rejected rows, ordered by row. */
  record RejectionPage(List<RejectedRow> items, int page, int size, long total) {}

  /**
   * Why a row was not imported.
   *
   * @param row for CSV the line on which the row starts (the header is line 1); for JSON the index
   *     in the array (from 0)
   * @param field the CSV column or JSON field the reason is about; empty for the whole row
   */
  record RejectedRow(int row, String field, String reason) {}

  static ImportView of(ImportSummary s, Page<RowRejection> rejections) {
    return new ImportView(
        s.id(),
        s.campaignId(),
        s.format(),
        s.status(),
        s.totalRows(),
        s.accepted(),
        s.rejected(),
        new Batches(s.batchSize(), s.batchCount(), s.committedBatches()),
        s.error(),
        s.warning(),
        s.createdAt(),
        s.startedAt(),
        s.finishedAt(),
        new RejectionPage(
            rejections.items().stream()
                .map(r -> new RejectedRow(r.position(), r.field(), r.reason()))
                .toList(),
            rejections.page(),
            rejections.size(),
            rejections.total()));
  }
}
