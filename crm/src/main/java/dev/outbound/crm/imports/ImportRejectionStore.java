package dev.outbound.crm.imports;

import dev.outbound.crm.admin.Page;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The rejected rows of an import ({@code lead_import_rejections}): written when the upload is
 * stored (the rows its checks rejected) and with each batch (the rows writing it rejected), in the
 * caller's transaction; read page by page for the client.
 */
@Repository
public class ImportRejectionStore {

  /** Rejections per JDBC batch. */
  private static final int JDBC_BATCH = 1000;

  private final JdbcClient jdbc;
  private final JdbcTemplate batches;

  public ImportRejectionStore(JdbcClient jdbc, JdbcTemplate batches) {
    this.jdbc = jdbc;
    this.batches = batches;
  }

  /**
   * One page of the import's rejected rows, by position (a row with several reasons has several
   * entries, so a page may end in the middle of a row). Empty for an import of another client.
   */
  public Page<RowRejection> list(long clientId, long importId, int page, int size) {
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
   * Inserts rejections of the import, {@link #JDBC_BATCH} per JDBC batch, in the caller's
   * transaction.
   *
   * @param batchNo the batch that rejected them, or null for the upload's own checks
   */
  void insert(long clientId, long importId, Integer batchNo, List<RowRejection> rejections) {
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
}
