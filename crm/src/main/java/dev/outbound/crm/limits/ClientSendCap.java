package dev.outbound.crm.limits;

import dev.outbound.crm.LimitProperties;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A client's cap on emails per UTC day ({@code clients.max_sends_per_day}, else {@link
 * LimitProperties#maxSendsPerClientPerDay()}), and how much of it a day has used: every claim in
 * the send ledger since the day began that is sending, sent or ambiguous (a released or failed
 * claim sent nothing).
 *
 * <p>The send activity checks it before it reserves and claims; sends in flight at the same moment
 * are not counted yet, so a day can pass the cap by at most the workers' activity concurrency.
 */
@Repository
public class ClientSendCap {

  private final JdbcClient jdbc;
  private final LimitProperties limits;

  public ClientSendCap(JdbcClient jdbc, LimitProperties limits) {
    this.jdbc = jdbc;
    this.limits = limits;
  }

  /** The client's cap on emails per UTC day. */
  public int capOf(long clientId) {
    Optional<Integer> own =
        jdbc.sql("select max_sends_per_day from clients where id = :id")
            .param("id", clientId)
            .query((rs, n) -> (Integer) rs.getObject(1))
            .optional()
            .flatMap(Optional::ofNullable);
    return own.orElse(limits.maxSendsPerClientPerDay());
  }

  /** Sets the client's own cap, or clears it ({@code null}: the configured default). */
  public void setCap(long clientId, Integer cap) {
    jdbc.sql("update clients set max_sends_per_day = :cap where id = :id")
        .param("cap", cap)
        .param("id", clientId)
        .update();
  }

  /** The client's sending, sent and ambiguous claims since {@code since}. */
  public long usedSince(long clientId, Instant since) {
    return jdbc.sql(
            "select count(*) from send_ledger where client_id = :client"
                + " and claimed_at >= :since and status in ('SENDING', 'SENT', 'AMBIGUOUS')")
        .param("client", clientId)
        .param("since", Timestamp.from(since))
        .query(Long.class)
        .single();
  }
}
