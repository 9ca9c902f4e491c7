package dev.outbound.launcher.infra;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * What one deployable reads and serves, taken from its {@code application.yaml}: the environment
 * variables named in {@code ${NAME:default}} placeholders, the HTTP port, the actuator port and
 * base path, the health groups and the exposed endpoints.
 *
 * @param module the Maven module ({@code api} or {@code worker})
 * @param settings every setting, flattened to dotted keys
 * @param envNames the environment variables the application reads
 */
record AppConfig(String module, Map<String, Object> settings, Set<String> envNames) {

  /** A placeholder; group 1 is the name, group 2 the default (absent without a colon). */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::([^}]*))?}");

  /** Environment variable names as the applications spell them (not Spring property names). */
  private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");

  static AppConfig load(Path repository, String module) throws IOException {
    Path file = repository.resolve(module).resolve("src/main/resources/application.yaml");
    Map<String, Object> flat = new TreeMap<>();
    try (InputStream in = Files.newInputStream(file)) {
      flatten("", new Yaml().load(in), flat);
    }
    Set<String> names = new TreeSet<>();
    for (Object value : flat.values()) {
      Matcher matcher = PLACEHOLDER.matcher(String.valueOf(value));
      while (matcher.find()) {
        if (ENV_NAME.matcher(matcher.group(1)).matches()) {
          names.add(matcher.group(1));
        }
      }
    }
    return new AppConfig(module, flat, names);
  }

  /**
   * The value of a setting as the application would see it with the given environment: each
   * placeholder is replaced by the variable's value when the environment has it, else by its
   * default.
   */
  String resolve(String key, Map<String, String> environment) {
    Object raw = settings.get(key);
    if (raw == null) {
      return null;
    }
    Matcher matcher = PLACEHOLDER.matcher(String.valueOf(raw));
    StringBuilder resolved = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String value = environment.get(name);
      if (value == null) {
        value = matcher.group(2);
      }
      if (value == null) {
        throw new IllegalStateException(
            module + ": " + key + " needs " + name + ", which is neither set nor defaulted");
      }
      matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(resolved);
    return resolved.toString();
  }

  /** The port the application serves HTTP on ({@code server.port}, Spring's default 8080). */
  int serverPort(Map<String, String> environment) {
    String port = resolve("server.port", environment);
    return port == null ? 8080 : Integer.parseInt(port);
  }

  /** The port actuator answers on: {@code management.server.port}, else the server port. */
  int managementPort(Map<String, String> environment) {
    String port = resolve("management.server.port", environment);
    return port == null ? serverPort(environment) : Integer.parseInt(port);
  }

  /** Actuator's base path ({@code /actuator} unless configured). */
  String actuatorBasePath() {
    Object path = settings.get("management.endpoints.web.base-path");
    return path == null ? "/actuator" : String.valueOf(path);
  }

  /**
   * Whether {@code /health/{group}} exists: the liveness and readiness groups when probes are
   * enabled, or any group configured under {@code management.endpoint.health.group}.
   */
  boolean servesHealthGroup(String group) {
    boolean probes =
        Boolean.parseBoolean(
            String.valueOf(settings.get("management.endpoint.health.probes.enabled")));
    if (probes && (group.equals("liveness") || group.equals("readiness"))) {
      return true;
    }
    String prefix = "management.endpoint.health.group." + group + ".";
    return settings.keySet().stream().anyMatch(key -> key.startsWith(prefix));
  }

  /** Whether an actuator endpoint is exposed over HTTP. */
  boolean exposesEndpoint(String endpoint) {
    Object include = settings.get("management.endpoints.web.exposure.include");
    Collection<String> included =
        include == null
            ? Set.of("health")
            : Arrays.stream(String.valueOf(include).replaceAll("[\\[\\]]", "").split(","))
                .map(String::trim)
                .toList();
    return included.contains("*") || included.contains(endpoint);
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object node, Map<String, Object> flat) {
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (key, value) ->
              flatten(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value, flat));
    } else if (node instanceof java.util.List<?> list) {
      // Lists stay whole under their key (exposure lists) and are also walked for placeholders.
      flat.put(prefix, String.join(",", list.stream().map(String::valueOf).toList()));
      for (int i = 0; i < list.size(); i++) {
        flatten(prefix + "[" + i + "]", list.get(i), flat);
      }
    } else {
      flat.put(prefix, node);
    }
  }
}
