package dev.outbound.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outbound.crm.CrmProperties;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Only one {@code application.yaml} is read from the classpath, so the launcher's repeats the api's
 * and the worker's. This keeps the three in step: every setting of either deployable is in the
 * launcher with the same value, except the few that differ on purpose.
 */
class LauncherConfigTest {

  /**
   * Settings that differ on purpose: the name, the pool that the worker sizes itself, the
   * credentials key and unsubscribe secret, which only the launcher defaults to development values,
   * and private hosts, which only the launcher allows (its mail servers are on localhost); all
   * checked below.
   */
  private static final Set<String> DIFFERENT_ON_PURPOSE =
      Set.of(
          "spring.application.name",
          "spring.datasource.hikari.maximum-pool-size",
          "outbound.crm.credentials-key",
          "outbound.unsubscribe.secret",
          "outbound.webhooks.secret",
          "outbound.network.allow-private-hosts");

  @Test
  void theLauncherRepeatsEveryApiAndWorkerSetting() throws IOException {
    Map<String, Object> launcher = flatten(load(Path.of("src/main/resources/application.yaml")));
    for (String module : new String[] {"api", "worker"}) {
      Map<String, Object> deployable =
          flatten(load(Path.of("..", module, "src/main/resources/application.yaml")));
      deployable.forEach(
          (key, value) -> {
            if (!DIFFERENT_ON_PURPOSE.contains(key) && !key.equals("server.port")) {
              assertThat(launcher).as(module + " setting " + key).containsEntry(key, value);
            }
          });
    }
  }

  @Test
  void onlyTheLauncherDefaultsTheCredentialsKeyToTheDevelopmentKey() throws IOException {
    String key = "outbound.crm.credentials-key";
    Map<String, Object> launcher = flatten(load(Path.of("src/main/resources/application.yaml")));
    assertThat(launcher)
        .containsEntry(
            key, "${OUTBOUND_CREDENTIALS_KEY:" + CrmProperties.DEV_CREDENTIALS_KEY + "}");
    for (String module : new String[] {"api", "worker"}) {
      Map<String, Object> deployable =
          flatten(load(Path.of("..", module, "src/main/resources/application.yaml")));
      assertThat(deployable).as(module).containsEntry(key, "${OUTBOUND_CREDENTIALS_KEY:}");
    }
  }

  @Test
  void onlyTheLauncherDefaultsTheUnsubscribeSecret() throws IOException {
    String key = "outbound.unsubscribe.secret";
    Map<String, Object> launcher = flatten(load(Path.of("src/main/resources/application.yaml")));
    assertThat((String) launcher.get(key))
        .startsWith("${OUTBOUND_UNSUBSCRIBE_SECRET:")
        .isNotEqualTo("${OUTBOUND_UNSUBSCRIBE_SECRET:}");
    for (String module : new String[] {"api", "worker"}) {
      Map<String, Object> deployable =
          flatten(load(Path.of("..", module, "src/main/resources/application.yaml")));
      assertThat(deployable).as(module).containsEntry(key, "${OUTBOUND_UNSUBSCRIBE_SECRET:}");
    }
  }

  @Test
  void onlyTheLauncherDefaultsTheWebhookSecret() throws IOException {
    String key = "outbound.webhooks.secret";
    Map<String, Object> launcher = flatten(load(Path.of("src/main/resources/application.yaml")));
    assertThat((String) launcher.get(key))
        .startsWith("${OUTBOUND_WEBHOOK_SECRET:")
        .isNotEqualTo("${OUTBOUND_WEBHOOK_SECRET:}");
    Map<String, Object> api =
        flatten(load(Path.of("..", "api", "src/main/resources/application.yaml")));
    assertThat(api).containsEntry(key, "${OUTBOUND_WEBHOOK_SECRET:}");
  }

  @Test
  void onlyTheLauncherAllowsPrivateHosts() throws IOException {
    String key = "outbound.network.allow-private-hosts";
    Map<String, Object> launcher = flatten(load(Path.of("src/main/resources/application.yaml")));
    assertThat(launcher).containsEntry(key, "${OUTBOUND_ALLOW_PRIVATE_HOSTS:true}");
    for (String module : new String[] {"api", "worker"}) {
      Map<String, Object> deployable =
          flatten(load(Path.of("..", module, "src/main/resources/application.yaml")));
      assertThat(deployable).as(module).containsEntry(key, "${OUTBOUND_ALLOW_PRIVATE_HOSTS:false}");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return (Map<String, Object>) new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> flatten(Map<String, Object> tree) {
    Map<String, Object> flat = new TreeMap<>();
    tree.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> child) {
            flatten((Map<String, Object>) child).forEach((k, v) -> flat.put(key + "." + k, v));
          } else {
            flat.put(key, value);
          }
        });
    return flat;
  }
}
