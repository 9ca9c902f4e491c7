package dev.outbound.crm.imports;

import dev.outbound.crm.admin.CampaignStateException;
import dev.outbound.crm.admin.CampaignStore;
import dev.outbound.crm.admin.LeadStore;
import dev.outbound.crm.admin.LeadStore.NewLead;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.suppression.SuppressionStore;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writing a stored import's batches to its campaign: each batch of staged rows in one transaction,
 * through {@link LeadStore#add}, at most once. The import itself (its creation and the staged rows,
 * its status) is {@link LeadImportStore}'s.
 */
@Repository
public class ImportBatchStore {

  /** Where {@link LeadStore#add}'s duplicate reason names the index of the first occurrence. */
  private static final Pattern STORE_INDEX = Pattern.compile("at index (\\d+) too");

  private final JdbcClient jdbc;
  private final LeadStore leads;
  private final CampaignStore campaigns;
  private final SuppressionStore suppressions;
  private final ImportRejectionStore rejections;

  public ImportBatchStore(
      JdbcClient jdbc,
      LeadStore leads,
      CampaignStore campaigns,
      SuppressionStore suppressions,
      ImportRejectionStore rejections) {
    this.jdbc = jdbc;
    this.leads = leads;
    this.campaigns = campaigns;
    this.suppressions = suppressions;
    this.rejections = rejections;
  }

  /**
   * Writes one batch of staged rows in one transaction: rows whose address is suppressed, or (with
   * {@code acrossCampaigns}) whose person has a lead still to run or running in another ACTIVE or
   * PAUSED campaign of the client, are rejected; the rest go through {@link LeadStore#add}, which
   * rejects the ones already in this campaign. The batch's row in {@code lead_import_batches}, its
   * rejections and the import's counts are written in the same transaction, so the batch is written
   * completely or not at all. A batch that was written before is left alone ({@link
   * BatchResult#written()} is {@code false}); the import's row is locked first, so two runners of
   * the same import cannot both write a batch.
   *
   * @throws IllegalArgumentException when the import is not the client's or has no such batch
   * @throws CampaignStateException when the campaign has been stopped; nothing is written then
   */
  @Transactional
  public BatchResult commitBatch(
      long clientId, long importId, int batchNo, boolean acrossCampaigns) {
    ImportRow imported =
        jdbc.sql(
                "select campaign_id, format, batch_count from lead_imports"
                    + " where client_id = :client and id = :id for update")
            .param("client", clientId)
            .param("id", importId)
            .query(
                (rs, n) ->
                    new ImportRow(
                        rs.getLong("campaign_id"),
                        ImportFormat.valueOf(rs.getString("format")),
                        rs.getInt("batch_count")))
            .optional()
            .orElseThrow(() -> new IllegalArgumentException("no import " + importId));
    if (batchNo < 1 || batchNo > imported.batchCount()) {
      throw new IllegalArgumentException("import " + importId + " has no batch " + batchNo);
    }
    boolean done =
        jdbc.sql(
                "select exists (select 1 from lead_import_batches where client_id = :client"
                    + " and import_id = :id and batch_no = :batch)")
            .param("client", clientId)
            .param("id", importId)
            .param("batch", batchNo)
            .query(Boolean.class)
            .single();
    if (done) {
      return new BatchResult(
          batchNo, false, 0, 0, campaigns.status(clientId, imported.campaignId()).orElseThrow());
    }

    List<Staged> rows = stagedRows(clientId, importId, batchNo);
    List<RowRejection> rejected = new ArrayList<>();
    Map<String, SuppressionStore.Suppression> suppressed =
        suppressions.suppressedAmong(clientId, rows.stream().map(r -> r.lead().email()).toList());
    Map<Integer, String> elsewhere =
        acrossCampaigns
            ? activeElsewhere(clientId, importId, batchNo, imported.campaignId())
            : Map.of();
    List<Staged> passed = new ArrayList<>();
    for (Staged row : rows) {
      if (suppressed.containsKey(row.lead().email())) {
        rejected.add(new RowRejection(row.position(), "email", "suppressed"));
      } else if (elsewhere.containsKey(row.rowNo())) {
        rejected.add(new RowRejection(row.position(), "email", elsewhere.get(row.rowNo())));
      } else {
        passed.add(row);
      }
    }
    refreshStatisticsIfSmall(passed.size());
    LeadStore.AddResult result =
        leads
            .add(clientId, imported.campaignId(), passed.stream().map(Staged::lead).toList())
            .orElseThrow(() -> new IllegalStateException("the import's campaign is gone"));
    for (LeadStore.Rejection r : result.rejected()) {
      rejected.add(
          new RowRejection(
              passed.get(r.index()).position(),
              "email",
              inUploadPositions(r.reason(), passed, imported.format())));
    }
    rejections.insert(clientId, importId, batchNo, rejected);
    jdbc.sql(
            "insert into lead_import_batches (client_id, import_id, batch_no, accepted, rejected)"
                + " values (:client, :id, :batch, :accepted, :rejected)")
        .param("client", clientId)
        .param("id", importId)
        .param("batch", batchNo)
        .param("accepted", result.accepted())
        .param("rejected", rejected.size())
        .update();
    jdbc.sql(
            "update lead_imports set accepted = accepted + :accepted,"
                + " rejected = rejected + :rejected where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", importId)
        .param("accepted", result.accepted())
        .param("rejected", rejected.size())
        .update();
    return new BatchResult(
        batchNo, true, result.accepted(), rejected.size(), result.campaignStatus());
  }

  /**
   * Refreshes the planner's statistics of {@code leads} and {@code enrolments} when they still
   * describe tables smaller than a few batches. {@link LeadStore#add} joins a batch against both
   * tables by address; while PostgreSQL believes them nearly empty (a new installation, or the
   * first large import, before autovacuum has caught up) it picks nested loops over sequential
   * scans, and each batch gets slower than the last: measured 3.7 s for the first batch of 5,000
   * and 13 s for the fourth. ANALYZE samples a bounded number of rows, so it costs well under a
   * second, and on the large tables of a running installation the condition is false and it never
   * runs.
   */
  private void refreshStatisticsIfSmall(int rows) {
    if (rows == 0) {
      return;
    }
    long estimated =
        jdbc.sql(
                "select coalesce(min(greatest(c.reltuples, 0)), 0)::bigint from pg_class c"
                    + " where c.oid in ('leads'::regclass, 'enrolments'::regclass)")
            .query(Long.class)
            .single();
    if (estimated < 10L * rows) {
      jdbc.sql("analyze leads").update();
      jdbc.sql("analyze enrolments").update();
    }
  }

  private record ImportRow(long campaignId, ImportFormat format, int batchCount) {}

  private record Staged(int rowNo, int position, NewLead lead) {}

  /** The batch's staged rows with their extra fields, in upload order. */
  private List<Staged> stagedRows(long clientId, long importId, int batchNo) {
    Map<Integer, Map<String, String>> fields = new HashMap<>();
    jdbc.sql(
            "select s.row_no, f.key, f.value from lead_import_rows s"
                + " cross join lateral jsonb_each_text(s.fields) f"
                + " where s.client_id = :client and s.import_id = :id and s.batch_no = :batch")
        .param("client", clientId)
        .param("id", importId)
        .param("batch", batchNo)
        .query(
            (ResultSet rs) -> {
              fields
                  .computeIfAbsent(rs.getInt(1), k -> new LinkedHashMap<>())
                  .put(rs.getString(2), rs.getString(3));
            });
    return jdbc.sql(
            "select row_no, position, email, first_name, last_name, company, timezone, country"
                + " from lead_import_rows where client_id = :client and import_id = :id"
                + " and batch_no = :batch order by row_no")
        .param("client", clientId)
        .param("id", importId)
        .param("batch", batchNo)
        .query(
            (rs, n) ->
                new Staged(
                    rs.getInt("row_no"),
                    rs.getInt("position"),
                    new NewLead(
                        rs.getString("email"),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getString("company"),
                        rs.getString("timezone"),
                        rs.getString("country"),
                        fields.getOrDefault(rs.getInt("row_no"), Map.of()))))
        .list();
  }

  /**
   * The batch's rows whose person has a lead that is still to run or running in another ACTIVE or
   * PAUSED campaign of the client, with the reason naming the first such campaign and lead.
   */
  private Map<Integer, String> activeElsewhere(
      long clientId, long importId, int batchNo, long campaignId) {
    Map<Integer, String> found = new HashMap<>();
    jdbc.sql(
            "select distinct on (s.row_no) s.row_no, e.campaign_id, e.id as enrolment_id"
                + " from lead_import_rows s"
                + " join leads l on l.client_id = s.client_id and lower(l.email) = lower(s.email)"
                + " join enrolments e on e.client_id = s.client_id and e.lead_id = l.id"
                + " join campaigns c on c.client_id = e.client_id and c.id = e.campaign_id"
                + " where s.client_id = :client and s.import_id = :id and s.batch_no = :batch"
                + " and e.campaign_id <> :campaign and e.status in "
                + EnrolmentStore.NON_TERMINAL_SQL
                + " and c.status in ('ACTIVE', 'PAUSED')"
                + " order by s.row_no, e.campaign_id, e.id")
        .param("client", clientId)
        .param("id", importId)
        .param("batch", batchNo)
        .param("campaign", campaignId)
        .query(
            (ResultSet rs) -> {
              found.put(
                  rs.getInt("row_no"),
                  "duplicate: active in campaign "
                      + rs.getLong("campaign_id")
                      + " as lead "
                      + rs.getLong("enrolment_id"));
            });
    return found;
  }

  /**
   * A reason of {@link LeadStore#add} with the index it names (of an earlier row with the same
   * address) turned into that row's position in the upload.
   */
  private static String inUploadPositions(String reason, List<Staged> passed, ImportFormat format) {
    Matcher m = STORE_INDEX.matcher(reason);
    if (!m.find()) {
      return reason;
    }
    int index = Integer.parseInt(m.group(1));
    if (index >= passed.size()) {
      return reason;
    }
    return reason.substring(0, m.start()) + format.where(passed.get(index).position()) + " too";
  }
}
