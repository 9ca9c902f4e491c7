package dev.outbound.crm;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Clients (tenants) and their API keys. */
@Repository
public class ClientStore {

  private final JdbcClient jdbc;

  public ClientStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The client that owns the (unrevoked) API key, if any. */
  public Optional<Long> clientIdForApiKey(String apiKey) {
    return jdbc.sql("select client_id from api_keys where key_hash = :hash and revoked_at is null")
        .param("hash", ApiKeys.hash(apiKey))
        .query(Long.class)
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

  /** Registers {@code apiKey} for the client unless that key is already registered. */
  public void ensureApiKey(long clientId, String apiKey, String label) {
    jdbc.sql(
            "insert into api_keys (client_id, key_hash, label) values (:client, :hash, :label)"
                + " on conflict (key_hash) do nothing")
        .param("client", clientId)
        .param("hash", ApiKeys.hash(apiKey))
        .param("label", label)
        .update();
  }
}
