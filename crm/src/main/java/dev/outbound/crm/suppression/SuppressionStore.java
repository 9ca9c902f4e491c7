package dev.outbound.crm.suppression;

import dev.outbound.crm.admin.Page;
import dev.outbound.vocabulary.address.SuppressionValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A client's suppression list. Every statement filters on {@code client_id}: one client's
 * unsubscribes never reach another client's list, and an ID of another client reads as absent.
 */
@Repository
public class SuppressionStore {

  /** What a suppression matches: one address, or a domain with all its subdomains. */
  public enum Kind {
    ADDRESS,
    DOMAIN
  }

  /** Why a value is suppressed. */
  public enum Reason {
    UNSUBSCRIBED,
    HARD_BOUNCE,
    MANUAL,
    COMPLAINT
  }

  /**
   * One entry of the list.
   *
   * @param value the normalised address or domain (see {@link SuppressionValues})
   * @param source free text for operators saying where the entry came from, or {@code null}
   */
  public record Suppression(
      long id, Kind kind, String value, Reason reason, String source, Instant createdAt) {}

  /**
   * Bulk lookups send at most this many addresses per statement. With their domains and parents
   * that stays far below PostgreSQL's limit of 65,535 bind parameters per statement.
   */
  static final int BULK_CHUNK = 500;

  private static final String COLUMNS = "id, kind, value, reason, source, created_at";

  private final JdbcClient jdbc;

  public SuppressionStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Suppresses {@code value} for the client. Idempotent: adding an entry that exists changes
   * nothing (the first reason and source stay, so "unsubscribed" is not overwritten by a later
   * "hard bounce" for the same address).
   *
   * @return {@code true} when the entry is new
   * @throws IllegalArgumentException when {@code value} is not a valid address or domain
   */
  public boolean add(long clientId, Kind kind, String value, Reason reason, String source) {
    return jdbc.sql(
                "insert into suppressions (client_id, kind, value, reason, source)"
                    + " values (:client, :kind, :value, :reason, :source)"
                    + " on conflict (client_id, kind, value) do nothing")
            .param("client", clientId)
            .param("kind", kind.name())
            .param("value", normalise(kind, value))
            .param("reason", reason.name())
            .param("source", source)
            .update()
        == 1;
  }

  /**
   * Lifts a suppression. Only the exact entry is removed: removing an address does not lift a
   * suppression of its domain.
   *
   * @return {@code true} when there was such an entry
   * @throws IllegalArgumentException when {@code value} is not a valid address or domain
   */
  public boolean remove(long clientId, Kind kind, String value) {
    return jdbc.sql(
                "delete from suppressions where client_id = :client and kind = :kind"
                    + " and value = :value")
            .param("client", clientId)
            .param("kind", kind.name())
            .param("value", normalise(kind, value))
            .update()
        == 1;
  }

  /** One entry by its ID. */
  public Optional<Suppression> find(long clientId, long id) {
    return jdbc.sql(
            "select " + COLUMNS + " from suppressions where client_id = :client and id = :id")
        .param("client", clientId)
        .param("id", id)
        .query(SuppressionStore::row)
        .optional();
  }

  /**
   * The entry for exactly this kind and value (after normalising), or empty.
   *
   * @throws IllegalArgumentException when {@code value} is not a valid address or domain
   */
  public Optional<Suppression> find(long clientId, Kind kind, String value) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from suppressions where client_id = :client and kind = :kind"
                + " and value = :value")
        .param("client", clientId)
        .param("kind", kind.name())
        .param("value", normalise(kind, value))
        .query(SuppressionStore::row)
        .optional();
  }

  /** A page of the client's list, newest first; {@code kind} {@code null} lists both kinds. */
  public Page<Suppression> list(long clientId, Kind kind, int page, int size) {
    if (page < 0 || size < 1) {
      throw new IllegalArgumentException("page must be >= 0 and size >= 1");
    }
    String filter = " where client_id = :client" + (kind == null ? "" : " and kind = :kind");
    var items =
        jdbc.sql(
                "select "
                    + COLUMNS
                    + " from suppressions"
                    + filter
                    + " order by id desc limit :size offset :offset")
            .param("client", clientId)
            .param("size", size)
            .param("offset", (long) page * size);
    var count = jdbc.sql("select count(*) from suppressions" + filter).param("client", clientId);
    if (kind != null) {
      items = items.param("kind", kind.name());
      count = count.param("kind", kind.name());
    }
    return new Page<>(
        items.query(SuppressionStore::row).list(), page, size, count.query(Long.class).single());
  }

  /**
   * Whether the client must not mail {@code email}: the address itself is suppressed (case does not
   * matter), or its domain or any parent domain is. An address that is not a plain address is
   * reported as not suppressed; sending code rejects such addresses on its own.
   */
  public boolean isSuppressed(long clientId, String email) {
    return match(clientId, email).isPresent();
  }

  /**
   * The entry that suppresses {@code email}, for the record of why a send was skipped: the address
   * entry when there is one, otherwise the most specific domain entry.
   */
  public Optional<Suppression> match(long clientId, String email) {
    Optional<String> address = SuppressionValues.parseAddress(email);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    List<String> domains =
        SuppressionValues.domainAndParents(SuppressionValues.domainOf(address.get()));
    List<Suppression> rows = candidates(clientId, Set.of(address.get()), new HashSet<>(domains));
    return best(address.get(), domains, rows);
  }

  /**
   * The addresses among {@code emails} that are suppressed, each with the entry that suppresses it,
   * keyed by the string as given (in the order given). For an import of many leads: it reads the
   * list in a few statements instead of one per address. Strings that are not plain addresses are
   * left out.
   */
  public Map<String, Suppression> suppressedAmong(long clientId, Collection<String> emails) {
    Map<String, Suppression> result = new LinkedHashMap<>();
    List<String> batch = new ArrayList<>(BULK_CHUNK);
    for (String email : new LinkedHashSet<>(emails)) {
      batch.add(email);
      if (batch.size() == BULK_CHUNK) {
        checkBatch(clientId, batch, result);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      checkBatch(clientId, batch, result);
    }
    return result;
  }

  private void checkBatch(long clientId, List<String> emails, Map<String, Suppression> result) {
    Map<String, String> normalised = new LinkedHashMap<>();
    Set<String> addresses = new HashSet<>();
    Set<String> domains = new HashSet<>();
    for (String email : emails) {
      SuppressionValues.parseAddress(email)
          .ifPresent(
              address -> {
                normalised.put(email, address);
                addresses.add(address);
                domains.addAll(
                    SuppressionValues.domainAndParents(SuppressionValues.domainOf(address)));
              });
    }
    if (addresses.isEmpty()) {
      return;
    }
    List<Suppression> rows = candidates(clientId, addresses, domains);
    if (rows.isEmpty()) {
      return;
    }
    for (Map.Entry<String, String> entry : normalised.entrySet()) {
      String address = entry.getValue();
      List<String> chain = SuppressionValues.domainAndParents(SuppressionValues.domainOf(address));
      best(address, chain, rows).ifPresent(s -> result.put(entry.getKey(), s));
    }
  }

  /** The entries for any of the addresses or domains, in one statement on the unique index. */
  private List<Suppression> candidates(
      long clientId, Collection<String> addresses, Collection<String> domains) {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from suppressions where client_id = :client and ((kind = 'ADDRESS' and value"
                + " in (:addresses)) or (kind = 'DOMAIN' and value in (:domains)))")
        .param("client", clientId)
        .param("addresses", addresses)
        .param("domains", domains)
        .query(SuppressionStore::row)
        .list();
  }

  /** The address entry, else the entry of the most specific domain in {@code chain}. */
  private static Optional<Suppression> best(
      String address, List<String> chain, List<Suppression> rows) {
    Map<String, Suppression> byDomain = new HashMap<>();
    for (Suppression row : rows) {
      if (row.kind() == Kind.ADDRESS && row.value().equals(address)) {
        return Optional.of(row);
      }
      if (row.kind() == Kind.DOMAIN) {
        byDomain.put(row.value(), row);
      }
    }
    // The chain runs from the address's own domain up to the top-level domain.
    return chain.stream().filter(byDomain::containsKey).findFirst().map(byDomain::get);
  }

  private static String normalise(Kind kind, String value) {
    return kind == Kind.ADDRESS
        ? SuppressionValues.address(value)
        : SuppressionValues.domain(value);
  }

  private static Suppression row(ResultSet rs, int rowNum) throws SQLException {
    return new Suppression(
        rs.getLong("id"),
        Kind.valueOf(rs.getString("kind")),
        rs.getString("value"),
        Reason.valueOf(rs.getString("reason")),
        rs.getString("source"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
