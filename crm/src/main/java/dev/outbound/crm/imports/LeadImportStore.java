package dev.outbound.crm.imports;

import dev.outbound.crm.admin.CampaignStateException;
import dev.outbound.crm.admin.CampaignStore;
import dev.outbound.crm.admin.LeadStore.NewLead;
import dev.outbound.vocabulary.json.Json;
import dev.outbound.vocabulary.status.CampaignStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lead imports of one client: the import, its staged rows and its status from queued to done or
 * failed (schema V8). Writing its batches is {@link ImportBatchStore}'s, its rejected rows are
 * {@link ImportRejectionStore}'s. See the package documentation for how an import flows through
 * them.
 */
@Repository
public class LeadImportStore {

  /** An import of some client, for the runner that resumes unfinished imports at startup. */
  public record ImportRef(long clientId, long importId) {}

  /** Staged rows per insert statement. */
  private static final int STAGE_CHUNK = 5000;

  private final JdbcClient jdbc;
  private final CampaignStore campaigns;
  private final ImportRejectionStore rejections;

  public LeadImportStore(
      JdbcClient jdbc, CampaignStore campaigns, ImportRejectionStore rejections) {
    this.jdbc = jdbc;
    this.campaigns = campaigns;
    this.rejections = rejections;
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
    Optional<CampaignStatus> status = campaigns.status(clientId, campaignId);
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
    this.rejections.insert(clientId, id, null, rejections);
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
   * Inserts the staged rows, {@link #STAGE_CHUNK} per statement: each chunk travels as one JSON
   * parameter and PostgreSQL unpacks it with {@code jsonb_to_recordset}, as {@link
   * dev.outbound.crm.admin.LeadStore#add} does, which is several times faster than a JDBC batch of
   * single-row inserts.
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
        Json.member(json, "email", lead.email());
        Json.member(json, "first_name", lead.firstName());
        Json.member(json, "last_name", lead.lastName());
        Json.member(json, "company", lead.company());
        Json.member(json, "timezone", lead.timezone());
        Json.member(json, "country", lead.country());
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
