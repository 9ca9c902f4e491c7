package dev.outbound.crm.imports;

import dev.outbound.crm.admin.CampaignStateException;
import dev.outbound.crm.admin.LeadStore;
import dev.outbound.crm.admin.LeadStore.NewLead;
import dev.outbound.crm.admin.Page;
import dev.outbound.crm.sequence.EnrolmentStore;
import dev.outbound.crm.suppression.SuppressionStore;
import dev.outbound.vocabulary.json.Json;
import dev.outbound.vocabulary.status.CampaignStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lead imports of one client: the import, its staged rows, its batches and its rejected rows
 * (schema V8). See the package documentation for how an import flows through it.
 */
@Repository
public class LeadImportStore {

  /** An import of some client, for the runner that resumes unfinished imports at startup. */
  public record ImportRef(long clientId, long importId) {}

  /** Rejections per JDBC batch. */
  private static final int JDBC_BATCH = 1000;

  /** Staged rows per insert statement. */
  private static final int STAGE_CHUNK = 5000;

  /** Where {@link LeadStore#add}'s duplicate reason names the index of the first occurrence. */
  private static final Pattern STORE_INDEX = Pattern.compile("at index (\\d+) too");

  /** Lead statuses whose sequence is still to run or running, as the schema spells them. */
  private final JdbcClient jdbc;

  private final JdbcTemplate batches;
  private final LeadStore leads;
  private final SuppressionStore suppressions;

  public LeadImportStore(
      JdbcClient jdbc, JdbcTemplate batches, LeadStore leads, SuppressionStore suppressions) {
    this.jdbc = jdbc;
    this.batches = batches;
    this.leads = leads;
    this.suppressions = suppressions;
  }

  /**
   * Stores a checked upload in one transaction: the import ({@link ImportStatus#QUEUED}), its
   * staged rows, assigned in order to batches of {@code batchSize}, and the rows the upload's
   * checks rejected (counted once per row however many reasons it has).
   *
   * @param totalRows the rows in the upload, staged and rejected together
   * @return the import's ID; empty when the campaign is not the client's
   * @throws CampaignStateException when the campaign is stopped; nothing is stored then
   */
  @Transactional
  public Optional<Long> create(
      long clientId,
      long campaignId,
      ImportFormat format,
      int totalRows,
      List<StagedLead> staged,
      List<RowRejection> rejections,
      int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    Optional<CampaignStatus> status = campaignStatus(clientId, campaignId);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    if (status.get() == CampaignStatus.STOPPED) {
      throw new CampaignStateException(
          CampaignStatus.STOPPED, "leads cannot be imported into a stopped campaign");
    }
    Set<Integer> rejectedRows = new HashSet<>();
    rejections.forEach(r -> rejectedRows.add(r.position()));
    int batchCount = (staged.size() + batchSize - 1) / batchSize;
    long id =
        jdbc.sql(
                "insert into lead_imports (client_id, campaign_id, format, total_rows, staged_rows,"
                    + " batch_size, batch_count, rejected)"
                    + " values (:client, :campaign, :format, :total, :staged, :batchSize,"
                    + " :batchCount, :rejected) returning id")
            .param("client", clientId)
            .param("campaign", campaignId)
            .param("format", format.name())
            .param("total", totalRows)
            .param("staged", staged.size())
            .param("batchSize", batchSize)
            .param("batchCount", batchCount)
            .param("rejected", rejectedRows.size())
            .query(Long.class)
            .single();
    stage(clientId, id, staged, batchSize);
    insertRejections(clientId, id, null, rejections);
    return Optional.of(id);
  }

  /** The client's import; empty for an ID of another client. */
  public Optional<ImportSummary> find(long clientId, long importId) {
    Optional<ImportSummary> found =
        jdbc.sql(
                "select id, campaign_id, format, status, total_rows, staged_rows, batch_size,"
                    + " batch_count, accepted, rejected, error, warning, created_at, started_at,"
                    + " finished_at from lead_imports where client_id = :client and id = :id")
            .param("client", clientId)
            .param("id", importId)
            .query((rs, n) -> summary(rs, List.of()))
            .optional();
    if (found.isEmpty()) {
      return found;
    }
    List<Integer> committed =
        jdbc.sql(
                "select batch_no from lead_import_batches where client_id = :client"
                    + " and import_id = :id order by batch_no")
            .param("client", clientId)
            .param("id", importId)
            .query(Integer.class)
            .list();
    ImportSummary s = found.get();
    return Optional.of(
        new ImportSummary(
            s.id(),
            s.campaignId(),
            s.format(),
            s.status(),
            s.totalRows(),
            s.stagedRows(),
            s.batchSize(),
            s.batchCount(),
            s.accepted(),
            s.rejected(),
            committed,
            s.error(),
            s.warning(),
            s.createdAt(),
            s.startedAt(),
            s.finishedAt()));
  }

  /**
   * One page of the import's rejected rows, by position (a row with several reasons has several
   * entries, so a page may end in the middle of a row). Empty for an import of another client.
   */
  public Page<RowRejection> rejections(long clientId, long importId, int page, int size) {
    if (page < 0 || size < 1) {
      throw new IllegalArgumentException("page must be >= 0 and size >= 1");
    }
    List<RowRejection> items =
        jdbc.sql(
                "select position, field, reason from lead_import_rejections"
                    + " where client_id = :client and import_id = :id"
                    + " order by position, id limit :size offset :offset")
            .param("client", clientId)
            .param("id", importId)
            .param("size", size)
            .param("offset", (long) page * size)
            .query(
                (rs, n) ->
                    new RowRejection(
                        rs.getInt("position"), rs.getString("field"), rs.getString("reason")))
            .list();
    long total =
        jdbc.sql(
                "select count(*) from lead_import_rejections where client_id = :client"
                    + " and import_id = :id")
            .param("client", clientId)
            .param("id", importId)
            .query(Long.class)
            .single();
    return new Page<>(items, page, size, total);
  }

  /**
   * Marks a queued import running (a running one stays running: it is being resumed).
   *
   * @return {@code false} when the import is not the client's, or is done or failed
   */
  public boolean start(long clientId, long importId) {
    return jdbc.sql(
                "update lead_imports set status = 'RUNNING',"
                    + " started_at = coalesce(started_at, now())"
                    + " where client_id = :client and id = :id and status in ('QUEUED', 'RUNNING')")
            .param("client", clientId)
            .param("id", importId)
            .update()
        == 1;
  }

  /** The numbers of the batches not written yet, in order. */
  public List<Integer> pendingBatches(long clientId, long importId) {
    return jdbc.sql(
            "select b from lead_imports i, generate_series(1, i.batch_count) b"
                + " where i.client_id = :client and i.id = :id"
                + " and not exists (select 1 from lead_import_batches w where w.client_id = :client"
                + "   and w.import_id = i.id and w.batch_no = b)"
                + " order by b")
        .param("client", clientId)
        .param("id", importId)
        .query(Integer.class)
        .list();
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
          batchNo, false, 0, 0, campaignStatus(clientId, imported.campaignId()).orElseThrow());
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
    insertRejections(clientId, importId, batchNo, rejected);
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
   * Marks a running import done when all its batches are written, and deletes its staged rows.
   *
   * @param warning what is left to do (e.g. the enrolment signal failed), or null
   * @return {@code false} when the import is not running or has batches left
   */
  @Transactional
  public boolean finish(long clientId, long importId, String warning) {
    boolean finished =
        jdbc.sql(
                    "update lead_imports i set status = 'DONE', finished_at = now(),"
                        + " warning = :warning, error = null"
                        + " where i.client_id = :client and i.id = :id and i.status = 'RUNNING'"
                        + " and (select count(*) from lead_import_batches b"
                        + "   where b.client_id = :client and b.import_id = i.id) = i.batch_count")
                .param("client", clientId)
                .param("id", importId)
                .param("warning", warning)
                .update()
            == 1;
    if (finished) {
      jdbc.sql("delete from lead_import_rows where client_id = :client and import_id = :id")
          .param("client", clientId)
          .param("id", importId)
          .update();
    }
    return finished;
  }

  /**
   * Marks a queued or running import failed. Its written batches stay; {@link #requeue} lets it be
   * resumed.
   *
   * @param error why, for the client; must not hold lead data
   */
  public boolean fail(long clientId, long importId, String error) {
    return jdbc.sql(
                "update lead_imports set status = 'FAILED', error = :error, finished_at = now()"
                    + " where client_id = :client and id = :id"
                    + " and status in ('QUEUED', 'RUNNING')")
            .param("client", clientId)
            .param("id", importId)
            .param("error", error)
            .update()
        == 1;
  }

  /**
   * Puts a failed import back in the queue, to write the batches it has left.
   *
   * @return {@code false} when the import is not the client's or has not failed
   */
  public boolean requeue(long clientId, long importId) {
    return jdbc.sql(
                "update lead_imports set status = 'QUEUED', error = null, finished_at = null"
                    + " where client_id = :client and id = :id and status = 'FAILED'")
            .param("client", clientId)
            .param("id", importId)
            .update()
        == 1;
  }

  /**
   * The queued and running imports of every client, oldest first: what a runner resumes when the
   * application starts. The only statement here that is not scoped to one client, since it runs on
   * behalf of the application, not of a caller; the runner continues each import under its own
   * client.
   */
  public List<ImportRef> unfinished() {
    return jdbc.sql(
            "select client_id, id from lead_imports where status in ('QUEUED', 'RUNNING')"
                + " order by id")
        .query((rs, n) -> new ImportRef(rs.getLong("client_id"), rs.getLong("id")))
        .list();
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

  private Optional<CampaignStatus> campaignStatus(long clientId, long campaignId) {
    return jdbc.sql("select status from campaigns where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", campaignId)
        .query((rs, n) -> CampaignStatus.valueOf(rs.getString(1)))
        .optional();
  }

  /**
   * Inserts the staged rows, {@link #STAGE_CHUNK} per statement: each chunk travels as one JSON
   * parameter and PostgreSQL unpacks it with {@code jsonb_to_recordset}, as {@link LeadStore#add}
   * does, which is several times faster than a JDBC batch of single-row inserts.
   */
  private void stage(long clientId, long importId, List<StagedLead> staged, int batchSize) {
    for (int from = 0; from < staged.size(); from += STAGE_CHUNK) {
      int to = Math.min(staged.size(), from + STAGE_CHUNK);
      StringBuilder json = new StringBuilder((to - from) * 200).append('[');
      for (int rowNo = from; rowNo < to; rowNo++) {
        StagedLead row = staged.get(rowNo);
        NewLead lead = row.lead();
        if (rowNo > from) {
          json.append(',');
        }
        json.append("{\"batch_no\":")
            .append(rowNo / batchSize + 1)
            .append(",\"row_no\":")
            .append(rowNo)
            .append(",\"position\":")
            .append(row.position());
        member(json, "email", lead.email());
        member(json, "first_name", lead.firstName());
        member(json, "last_name", lead.lastName());
        member(json, "company", lead.company());
        member(json, "timezone", lead.timezone());
        member(json, "country", lead.country());
        json.append(",\"fields\":");
        Json.object(json, lead.fields() == null ? Map.of() : lead.fields());
        json.append('}');
      }
      json.append(']');
      jdbc.sql(
              "insert into lead_import_rows (client_id, import_id, batch_no, row_no, position,"
                  + " email, first_name, last_name, company, timezone, country, fields)"
                  + " select :client, :id, r.batch_no, r.row_no, r.position, r.email,"
                  + " r.first_name, r.last_name, r.company, r.timezone, r.country, r.fields"
                  + " from jsonb_to_recordset(cast(:rows as jsonb)) as r(batch_no int, row_no int,"
                  + " position int, email text, first_name text, last_name text, company text,"
                  + " timezone text, country text, fields jsonb)")
          .param("client", clientId)
          .param("id", importId)
          .param("rows", json.toString())
          .update();
    }
  }

  private static void member(StringBuilder json, String name, String value) {
    json.append(",\"").append(name).append("\":");
    Json.string(json, value);
  }

  private void insertRejections(
      long clientId, long importId, Integer batchNo, List<RowRejection> rejections) {
    String sql =
        "insert into lead_import_rejections (client_id, import_id, batch_no, position, field,"
            + " reason) values (?, ?, ?, ?, ?, ?)";
    for (int from = 0; from < rejections.size(); from += JDBC_BATCH) {
      int start = from;
      int count = Math.min(JDBC_BATCH, rejections.size() - from);
      batches.batchUpdate(
          sql,
          new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
              RowRejection r = rejections.get(start + i);
              ps.setLong(1, clientId);
              ps.setLong(2, importId);
              if (batchNo == null) {
                ps.setNull(3, Types.INTEGER);
              } else {
                ps.setInt(3, batchNo);
              }
              ps.setInt(4, r.position());
              ps.setString(5, r.field());
              ps.setString(6, r.reason());
            }

            @Override
            public int getBatchSize() {
              return count;
            }
          });
    }
  }

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

  private static ImportSummary summary(ResultSet rs, List<Integer> committed) throws SQLException {
    return new ImportSummary(
        rs.getLong("id"),
        rs.getLong("campaign_id"),
        ImportFormat.valueOf(rs.getString("format")),
        ImportStatus.valueOf(rs.getString("status")),
        rs.getInt("total_rows"),
        rs.getInt("staged_rows"),
        rs.getInt("batch_size"),
        rs.getInt("batch_count"),
        rs.getInt("accepted"),
        rs.getInt("rejected"),
        committed,
        rs.getString("error"),
        rs.getString("warning"),
        instant(rs, "created_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
