package dev.outbound.crm;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Clients (tenants) and their API keys. A key is stored only as its SHA-256 hash ({@link ApiKeys})
 * beside a short prefix for listings; the key itself is returned once, when it is made.
 */
@Repository
public class ClientStore {

  /** Keys made here start with this, so a leaked one is easy to recognise in logs or code. */
  public static final String KEY_PREFIX = "obk_";

  /** How many characters of a key are kept in clear for listings: the marker and 8 more. */
  static final int SHOWN_CHARACTERS = KEY_PREFIX.length() + 8;

  /** The key a request presented, as found in the table. */
  public record KeyMatch(long keyId, long clientId, ApiKeyScope scope, boolean revoked) {}

  /** A client as the admin API shows it. */
  public record Client(
      long id, String slug, String name, Integer maxLeadsPerCampaign, Instant createdAt) {}

  /** A key as listings show it: never the secret or its hash. */
  public record KeyInfo(
      long id,
      String prefix,
      String label,
      ApiKeyScope scope,
      Instant createdAt,
      Instant revokedAt) {}

  /** A key just made: {@code key} is the secret, which is not stored and cannot be shown again. */
  public record NewKey(KeyInfo info, String key) {}

  /** The slug is taken by another client. */
  public static class DuplicateClientException extends RuntimeException {
    public DuplicateClientException(String slug) {
      super("a client with slug " + slug + " exists");
    }
  }

  private final JdbcClient jdbc;
  private final SecureRandom random = new SecureRandom();

  public ClientStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The client that owns the (unrevoked) API key, if any. */
  public Optional<Long> clientIdForApiKey(String apiKey) {
    return findApiKey(apiKey).filter(k -> !k.revoked()).map(KeyMatch::clientId);
  }

  /** The key row matching {@code apiKey}, revoked or not, so a caller can say which it is. */
  public Optional<KeyMatch> findApiKey(String apiKey) {
    return jdbc.sql(
            "select id, client_id, scope, revoked_at is not null as revoked"
                + " from api_keys where key_hash = :hash")
        .param("hash", ApiKeys.hash(apiKey))
        .query(
            (rs, n) ->
                new KeyMatch(
                    rs.getLong("id"),
                    rs.getLong("client_id"),
                    ApiKeyScope.valueOf(rs.getString("scope")),
                    rs.getBoolean("revoked")))
        .optional();
  }

  /** Creates the client with {@code slug} unless it exists; returns its ID either way. */
  @Transactional
  public long ensureClient(String slug, String name) {
    jdbc.sql("insert into clients (slug, name) values (:slug, :name) on conflict (slug) do nothing")
        .param("slug", slug)
        .param("name", name)
        .update();
    return jdbc.sql("select id from clients where slug = :slug")
        .param("slug", slug)
        .query(Long.class)
        .single();
  }

  /**
   * Registers {@code apiKey} (scope FULL) for the client unless that key is already registered. For
   * the development seed and test fixtures, whose keys are fixed strings.
   */
  public void ensureApiKey(long clientId, String apiKey, String label) {
    jdbc.sql(
            "insert into api_keys (client_id, key_hash, label, prefix)"
                + " values (:client, :hash, :label, :prefix) on conflict (key_hash) do nothing")
        .param("client", clientId)
        .param("hash", ApiKeys.hash(apiKey))
        .param("label", label)
        .param("prefix", shown(apiKey))
        .update();
  }

  /**
   * Creates a client.
   *
   * @param maxLeadsPerCampaign its own cap on leads per campaign, or null for the configured
   *     default
   * @throws DuplicateClientException when the slug is taken
   */
  public Client createClient(String slug, String name, Integer maxLeadsPerCampaign) {
    try {
      return jdbc.sql(
              "insert into clients (slug, name, max_leads_per_campaign)"
                  + " values (:slug, :name, :max)"
                  + " returning id, slug, name, max_leads_per_campaign, created_at")
          .param("slug", slug)
          .param("name", name)
          .param("max", maxLeadsPerCampaign)
          .query(ClientStore::client)
          .single();
    } catch (DuplicateKeyException e) {
      throw new DuplicateClientException(slug);
    }
  }

  public Optional<Client> findClient(long clientId) {
    return jdbc.sql(
            "select id, slug, name, max_leads_per_campaign, created_at from clients where id = :id")
        .param("id", clientId)
        .query(ClientStore::client)
        .optional();
  }

  public List<Client> listClients() {
    return jdbc.sql(
            "select id, slug, name, max_leads_per_campaign, created_at from clients order by id")
        .query(ClientStore::client)
        .list();
  }

  /** The client's own cap on leads per campaign, if it has one (else the configured default). */
  public Optional<Integer> maxLeadsPerCampaign(long clientId) {
    return jdbc.sql("select max_leads_per_campaign from clients where id = :id")
        .param("id", clientId)
        .query((rs, n) -> (Integer) rs.getObject(1))
        .optional()
        .filter(v -> v != null);
  }

  /**
   * Makes a new random key for the client (32 random bytes, URL-safe) and stores its hash.
   *
   * @return empty when there is no such client
   */
  @Transactional
  public Optional<NewKey> createApiKey(long clientId, ApiKeyScope scope, String label) {
    if (findClient(clientId).isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    KeyInfo info =
        jdbc.sql(
                "insert into api_keys (client_id, key_hash, label, scope, prefix)"
                    + " values (:client, :hash, :label, :scope, :prefix)"
                    + " returning id, prefix, label, scope, created_at, revoked_at")
            .param("client", clientId)
            .param("hash", ApiKeys.hash(key))
            .param("label", label)
            .param("scope", scope.name())
            .param("prefix", shown(key))
            .query(ClientStore::keyInfo)
            .single();
    return Optional.of(new NewKey(info, key));
  }

  /** The client's keys, oldest first, revoked ones included. */
  public List<KeyInfo> listApiKeys(long clientId) {
    return jdbc.sql(
            "select id, prefix, label, scope, created_at, revoked_at from api_keys"
                + " where client_id = :client order by id")
        .param("client", clientId)
        .query(ClientStore::keyInfo)
        .list();
  }

  /**
   * Revokes the client's key; a key already revoked keeps its first revocation time.
   *
   * @return the key after the change, empty when the client has no such key
   */
  public Optional<KeyInfo> revokeApiKey(long clientId, long keyId) {
    return jdbc.sql(
            "update api_keys set revoked_at = coalesce(revoked_at, now())"
                + " where client_id = :client and id = :id"
                + " returning id, prefix, label, scope, created_at, revoked_at")
        .param("client", clientId)
        .param("id", keyId)
        .query(ClientStore::keyInfo)
        .optional();
  }

  /**
   * The characters kept in clear: only of keys made here, whose random part is long enough that
   * eight shown characters leave over 200 secret bits. Fixed keys (dev seed, fixtures) show none.
   */
  private static String shown(String key) {
    return key.startsWith(KEY_PREFIX) && key.length() >= 40
        ? key.substring(0, SHOWN_CHARACTERS)
        : null;
  }

  private static Client client(ResultSet rs, int n) throws SQLException {
    return new Client(
        rs.getLong("id"),
        rs.getString("slug"),
        rs.getString("name"),
        (Integer) rs.getObject("max_leads_per_campaign"),
        rs.getTimestamp("created_at").toInstant());
  }

  private static KeyInfo keyInfo(ResultSet rs, int n) throws SQLException {
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new KeyInfo(
        rs.getLong("id"),
        rs.getString("prefix"),
        rs.getString("label"),
        ApiKeyScope.valueOf(rs.getString("scope")),
        rs.getTimestamp("created_at").toInstant(),
        revoked == null ? null : revoked.toInstant());
  }
}
