package dev.outbound.launcher.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules the rendered manifests must follow, each returning what is wrong (empty when nothing
 * is), so that tests can also feed them a manifest broken on purpose and see the rule fire.
 */
final class ManifestChecks {

  /** Variables that hold secrets: only ever from a Secret, by reference. */
  static final Set<String> SECRET_VARIABLES =
      Set.of(
          "DATABASE_PASSWORD",
          "OUTBOUND_CREDENTIALS_KEY",
          "SENTRY_DSN",
          "TEMPORAL_API_KEY",
          "OUTBOUND_UNSUBSCRIBE_SECRET",
          "OUTBOUND_ADMIN_KEY",
          "OUTBOUND_WEBHOOK_SECRET");

  /**
   * Variables whose local defaults are wrong or missing in a cluster: both apps must be given them.
   */
  static final List<String> REQUIRED_VARIABLES =
      List.of(
          "TEMPORAL_ADDRESS",
          "TEMPORAL_NAMESPACE",
          "DATABASE_URL",
          "DATABASE_USERNAME",
          "DATABASE_PASSWORD",
          "OUTBOUND_CREDENTIALS_KEY",
          "OUTBOUND_UNSUBSCRIBE_SECRET");

  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "ReplicaSet");

  private ManifestChecks() {}

  /**
   * A container's environment: the values it will see where the manifests tell them (literals and
   * ConfigMaps), and which names come from Secrets.
   */
  record Environment(Map<String, String> values, Set<String> fromSecrets, Set<String> names) {}

  static Environment environment(Manifests manifests, JsonNode container, List<String> problems) {
    Map<String, String> values = new HashMap<>();
    Set<String> fromSecrets = new TreeSet<>();
    Set<String> names = new TreeSet<>();
    String where = "container " + container.path("name").asText() + ": ";
    for (JsonNode source : container.path("envFrom")) {
      if (source.has("secretRef")) {
        problems.add(
            where
                + "envFrom secretRef hides which variables a Secret sets; reference each key with"
                + " secretKeyRef");
      }
      if (source.has("configMapRef")) {
        String name = source.path("configMapRef").path("name").asText();
        Optional<ObjectNode> map = manifests.find("ConfigMap", name);
        if (map.isEmpty()) {
          problems.add(where + "envFrom names ConfigMap " + name + ", which is not rendered");
          continue;
        }
        String prefix = source.path("prefix").asText("");
        for (Map.Entry<String, JsonNode> entry : map.get().path("data").properties()) {
          values.put(prefix + entry.getKey(), entry.getValue().asText());
          names.add(prefix + entry.getKey());
        }
      }
    }
    for (JsonNode variable : container.path("env")) {
      String name = variable.path("name").asText();
      names.add(name);
      JsonNode from = variable.path("valueFrom");
      if (variable.has("value")) {
        values.put(name, variable.path("value").asText());
      } else if (from.has("secretKeyRef")) {
        fromSecrets.add(name);
        values.remove(name);
      } else if (from.has("configMapKeyRef")) {
        JsonNode ref = from.path("configMapKeyRef");
        String map = ref.path("name").asText();
        JsonNode value =
            manifests
                .find("ConfigMap", map)
                .map(m -> m.path("data").path(ref.path("key").asText()))
                .orElse(null);
        if (value == null || value.isMissingNode()) {
          if (!ref.path("optional").asBoolean(false)) {
            problems.add(where + name + " refers to a missing ConfigMap key " + map);
          }
        } else {
          values.put(name, value.asText());
        }
      }
    }
    return new Environment(values, fromSecrets, names);
  }

  /**
   * Ports, probes, environment and shutdown of one application's Deployment against what the
   * application serves and reads.
   */
  static List<String> application(
      Manifests manifests, AppConfig app, String deployment, String containerName) {
    List<String> problems = new ArrayList<>();
    ObjectNode workload = manifests.get("Deployment", deployment);
    JsonNode pod = workload.path("spec").path("template");
    JsonNode container = container(pod, containerName);
    String where = "Deployment/" + deployment + " (" + app.module() + "): ";
    Environment env = environment(manifests, container, problems);

    for (String name : env.names()) {
      if (!app.envNames().contains(name)) {
        problems.add(
            where + name + " is set, but " + app.module() + "'s application.yaml never reads it");
      }
    }
    for (String name : REQUIRED_VARIABLES) {
      if (!app.envNames().contains(name)) {
        problems.add(
            where + name + " is required here but " + app.module() + " no longer reads it");
      } else if (!env.names().contains(name)) {
        problems.add(where + name + " is not set (its local default does not suit a cluster)");
      }
    }
    for (String name : SECRET_VARIABLES) {
      if (env.names().contains(name) && !env.fromSecrets().contains(name)) {
        problems.add(where + name + " must come from a Secret (secretKeyRef), not a value");
      }
    }

    int serverPort = app.serverPort(env.values());
    int managementPort = app.managementPort(env.values());
    Map<String, Integer> ports = new HashMap<>();
    for (JsonNode port : container.path("ports")) {
      ports.put(port.path("name").asText(), port.path("containerPort").asInt());
    }
    if (!ports.containsValue(serverPort)) {
      problems.add(where + "no containerPort " + serverPort + " (server.port) but " + ports);
    }
    if (!ports.containsValue(managementPort)) {
      problems.add(where + "no containerPort " + managementPort + " (actuator) but " + ports);
    }

    String base = app.actuatorBasePath();
    probe(problems, where, container, "startupProbe", "liveness", base, managementPort, ports, app);
    probe(
        problems, where, container, "livenessProbe", "liveness", base, managementPort, ports, app);
    probe(
        problems,
        where,
        container,
        "readinessProbe",
        "readiness",
        base,
        managementPort,
        ports,
        app);

    JsonNode annotations = pod.path("metadata").path("annotations");
    if (!annotations.path("prometheus.io/scrape").asText().equals("true")) {
      problems.add(where + "no prometheus.io/scrape: \"true\" annotation");
    }
    if (!annotations.path("prometheus.io/port").asText().equals(String.valueOf(managementPort))) {
      problems.add(
          where
              + "prometheus.io/port is "
              + annotations.path("prometheus.io/port").asText()
              + ", actuator answers on "
              + managementPort);
    }
    if (!annotations.path("prometheus.io/path").asText().equals(base + "/prometheus")) {
      problems.add(where + "prometheus.io/path is not " + base + "/prometheus");
    }
    return problems;
  }

  /**
   * Shutdown: the kubelet must not kill a pod before the preStop pause and Spring's graceful
   * shutdown ({@code spring.lifecycle.timeout-per-shutdown-phase}) are over, nor, when given,
   * before the longest activity could finish.
   */
  static List<String> shutdown(
      Manifests manifests,
      AppConfig app,
      String deployment,
      String containerName,
      Duration longestActivity) {
    List<String> problems = new ArrayList<>();
    JsonNode spec = manifests.get("Deployment", deployment).path("spec").path("template");
    JsonNode container = container(spec, containerName);
    Environment env = environment(manifests, container, problems);
    long grace = spec.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    long preStop =
        container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(0);
    String phase = app.resolve("spring.lifecycle.timeout-per-shutdown-phase", env.values());
    Duration springGrace = phase == null ? Duration.ofSeconds(30) : springDuration(phase);
    String where = "Deployment/" + deployment + ": terminationGracePeriodSeconds " + grace;
    if (grace <= preStop + springGrace.toSeconds()) {
      problems.add(
          where + " does not exceed preStop " + preStop + " s + shutdown grace " + springGrace);
    }
    if (longestActivity != null && grace <= longestActivity.toSeconds()) {
      problems.add(where + " does not exceed the longest activity, " + longestActivity);
    }
    return problems;
  }

  /**
   * Every pod runs as a non-root user with a read-only root file system, no capabilities, the
   * runtime's seccomp profile, a writable emptyDir at /tmp, no API token, and requests and limits.
   */
  static List<String> podSecurity(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode workload : manifests.objects()) {
      if (!WORKLOADS.contains(workload.path("kind").asText())) {
        continue;
      }
      String where = Manifests.describe(workload) + ": ";
      JsonNode pod = workload.path("spec").path("template").path("spec");
      JsonNode security = pod.path("securityContext");
      if (!security.path("runAsNonRoot").asBoolean(false)) {
        problems.add(where + "runAsNonRoot is not true");
      }
      if (security.has("runAsUser") && security.path("runAsUser").asLong() == 0) {
        problems.add(where + "runAsUser is 0");
      }
      if (!security.path("seccompProfile").path("type").asText().equals("RuntimeDefault")) {
        problems.add(where + "seccompProfile is not RuntimeDefault");
      }
      if (pod.path("automountServiceAccountToken").asBoolean(true)) {
        problems.add(where + "mounts a service account token it never uses");
      }
      Map<String, Boolean> emptyDirs = new HashMap<>();
      for (JsonNode volume : pod.path("volumes")) {
        emptyDirs.put(volume.path("name").asText(), volume.has("emptyDir"));
      }
      List<JsonNode> containers = new ArrayList<>();
      pod.path("initContainers").forEach(containers::add);
      pod.path("containers").forEach(containers::add);
      for (JsonNode container : containers) {
        String c = where + "container " + container.path("name").asText() + ": ";
        JsonNode context = container.path("securityContext");
        if (!context.path("readOnlyRootFilesystem").asBoolean(false)) {
          problems.add(c + "readOnlyRootFilesystem is not true");
        }
        if (context.path("allowPrivilegeEscalation").asBoolean(true)) {
          problems.add(c + "allowPrivilegeEscalation is not false");
        }
        if (context.path("privileged").asBoolean(false)) {
          problems.add(c + "is privileged");
        }
        boolean dropsAll = false;
        for (JsonNode capability : context.path("capabilities").path("drop")) {
          dropsAll |= capability.asText().equals("ALL");
        }
        if (!dropsAll || context.path("capabilities").has("add")) {
          problems.add(c + "does not drop ALL capabilities (or adds some)");
        }
        boolean tmp = false;
        for (JsonNode mount : container.path("volumeMounts")) {
          tmp |=
              mount.path("mountPath").asText().equals("/tmp")
                  && emptyDirs.getOrDefault(mount.path("name").asText(), false);
        }
        if (!tmp) {
          problems.add(c + "has no emptyDir at /tmp (the root file system is read-only)");
        }
        JsonNode resources = container.path("resources");
        for (String kind : List.of("requests", "limits")) {
          for (String resource : List.of("cpu", "memory")) {
            if (!resources.path(kind).has(resource)) {
              problems.add(c + "no " + kind + "." + resource);
            }
          }
        }
      }
    }
    return problems;
  }

  /** Every Service selects a Deployment and targets one of its container ports. */
  static List<String> services(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode service : manifests.ofKind("Service")) {
      String where = Manifests.describe(service) + ": ";
      JsonNode selector = service.path("spec").path("selector");
      Optional<ObjectNode> target =
          manifests.ofKind("Deployment").stream()
              .filter(d -> matches(selector, d.path("spec").path("template")))
              .findFirst();
      if (target.isEmpty()) {
        problems.add(where + "selects no Deployment");
        continue;
      }
      List<String> portNames = new ArrayList<>();
      List<Integer> portNumbers = new ArrayList<>();
      for (JsonNode container :
          target.get().path("spec").path("template").path("spec").path("containers")) {
        for (JsonNode port : container.path("ports")) {
          portNames.add(port.path("name").asText());
          portNumbers.add(port.path("containerPort").asInt());
        }
      }
      for (JsonNode port : service.path("spec").path("ports")) {
        JsonNode targetPort = port.has("targetPort") ? port.path("targetPort") : port.path("port");
        boolean found =
            targetPort.isInt()
                ? portNumbers.contains(targetPort.asInt())
                : portNames.contains(targetPort.asText());
        if (!found) {
          problems.add(where + "targetPort " + targetPort + " is not a port of its Deployment");
        }
      }
    }
    return problems;
  }

  /**
   * Every Deployment has a PodDisruptionBudget; every HorizontalPodAutoscaler targets a Deployment
   * that leaves its replica count to the autoscaler; the named Deployments are autoscaled.
   */
  static List<String> availability(Manifests manifests, Set<String> autoscaled) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode deployment : manifests.ofKind("Deployment")) {
      JsonNode template = deployment.path("spec").path("template");
      boolean budget =
          manifests.ofKind("PodDisruptionBudget").stream()
              .anyMatch(
                  pdb -> matches(pdb.path("spec").path("selector").path("matchLabels"), template));
      if (!budget) {
        problems.add(Manifests.describe(deployment) + ": no PodDisruptionBudget selects its pods");
      }
    }
    Set<String> targets = new TreeSet<>();
    for (ObjectNode hpa : manifests.ofKind("HorizontalPodAutoscaler")) {
      String where = Manifests.describe(hpa) + ": ";
      if (!hpa.path("apiVersion").asText().equals("autoscaling/v2")) {
        problems.add(where + "not autoscaling/v2");
      }
      JsonNode ref = hpa.path("spec").path("scaleTargetRef");
      String name = ref.path("name").asText();
      targets.add(name);
      Optional<ObjectNode> deployment = manifests.find(ref.path("kind").asText(), name);
      if (deployment.isEmpty()) {
        problems.add(where + "targets " + ref + ", which is not rendered");
      } else if (deployment.get().path("spec").has("replicas")) {
        problems.add(where + name + " sets replicas, which would fight the autoscaler");
      }
      int min = hpa.path("spec").path("minReplicas").asInt(1);
      int max = hpa.path("spec").path("maxReplicas").asInt();
      if (min < 1 || max < min) {
        problems.add(where + "minReplicas " + min + ", maxReplicas " + max);
      }
    }
    for (String name : autoscaled) {
      if (!targets.contains(name)) {
        problems.add("Deployment/" + name + ": no HorizontalPodAutoscaler");
      }
    }
    return problems;
  }

  /** Nothing secret is committed: no Secret objects and no secret values in plain sight. */
  static List<String> secretsByReference(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode secret : manifests.ofKind("Secret")) {
      problems.add(
          Manifests.describe(secret) + ": Secrets are created in the cluster, not committed");
    }
    for (ObjectNode map : manifests.ofKind("ConfigMap")) {
      for (String name : SECRET_VARIABLES) {
        if (map.path("data").has(name)) {
          problems.add(Manifests.describe(map) + ": holds " + name + ", which belongs in a Secret");
        }
      }
    }
    return problems;
  }

  static JsonNode container(JsonNode podTemplate, String name) {
    for (JsonNode container : podTemplate.path("spec").path("containers")) {
      if (container.path("name").asText().equals(name)) {
        return container;
      }
    }
    throw new AssertionError("no container " + name + " in " + podTemplate);
  }

  /** A Spring Boot duration setting: a number with an optional unit, milliseconds by default. */
  static Duration springDuration(String text) {
    Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?").matcher(text.strip());
    if (!m.matches()) {
      return Duration.parse(text.strip());
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      case "d" -> Duration.ofDays(amount);
      default -> Duration.ofMillis(amount);
    };
  }

  private static void probe(
      List<String> problems,
      String where,
      JsonNode container,
      String probe,
      String group,
      String basePath,
      int managementPort,
      Map<String, Integer> ports,
      AppConfig app) {
    JsonNode get = container.path(probe).path("httpGet");
    if (get.isMissingNode()) {
      problems.add(where + "no " + probe + " with httpGet");
      return;
    }
    String expected = basePath + "/health/" + group;
    String path = get.path("path").asText();
    if (!path.equals(expected)) {
      problems.add(where + probe + " asks " + path + ", the " + group + " group is " + expected);
    }
    if (!app.servesHealthGroup(group)) {
      problems.add(where + probe + ": " + app.module() + " does not serve " + expected);
    }
    JsonNode port = get.path("port");
    Integer number = port.isInt() ? Integer.valueOf(port.asInt()) : ports.get(port.asText());
    if (number == null || number != managementPort) {
      problems.add(where + probe + " port " + port + " is not actuator's " + managementPort);
    }
  }

  private static boolean matches(JsonNode selector, JsonNode podTemplate) {
    if (selector.isMissingNode() || selector.isEmpty()) {
      return false;
    }
    JsonNode labels = podTemplate.path("metadata").path("labels");
    boolean all = true;
    for (Map.Entry<String, JsonNode> entry : selector.properties()) {
      all &= labels.path(entry.getKey()).asText().equals(entry.getValue().asText());
    }
    return all;
  }
}
