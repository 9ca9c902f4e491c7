package dev.outbound.launcher;

import dev.outbound.crm.ClientStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Seeds the {@code demo} client and its API key, then prints where everything is. */
@Component
@Order(0)
class DevSeed implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(DevSeed.class);

  private final ClientStore clients;
  private final DevProperties properties;
  private final EmbeddedStack stack;
  private final ApplicationContext context;

  DevSeed(
      ClientStore clients,
      DevProperties properties,
      EmbeddedStack stack,
      ApplicationContext context) {
    this.clients = clients;
    this.properties = properties;
    this.stack = stack;
    this.context = context;
  }

  @Override
  public void run(ApplicationArguments args) {
    long demo = clients.ensureClient("demo", "Demo agency");
    clients.ensureApiKey(demo, properties.apiKey(), "dev launcher");
    int port =
        context instanceof WebServerApplicationContext web ? web.getWebServer().getPort() : 8080;
    StringBuilder banner = new StringBuilder("\n\n  Outbound is running (local launcher)\n");
    banner.append(String.format("  %-50s http://localhost:%d/api/v1%n", "REST API", port));
    banner.append(String.format("  %-50s http://localhost:%d/v3/api-docs%n", "OpenAPI", port));
    banner.append(String.format("  %-50s http://localhost:%d/actuator/health%n", "Health", port));
    banner.append(String.format("  %-50s %s%n", "API key of client 'demo'", properties.apiKey()));
    stack
        .endpoints()
        .forEach((part, where) -> banner.append(String.format("  %-50s %s%n", part, where)));
    log.info("{}", banner);
  }
}
