package dev.outbound.launcher.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * CI's check of everything under {@code infra/} (docs/deployment.md, "What CI validates"). The
 * kustomize base and overlays are rendered with {@code kubectl kustomize}; every rendered object
 * and every plain manifest is validated against the Kubernetes OpenAPI schema; and the manifests
 * and Dockerfiles are held against what the api and worker actually serve and read, taken from
 * their {@code application.yaml} files. Each kind of check also has a test that breaks a manifest
 * on purpose and sees it fail.
 *
 * <p>Without kubectl the rendering tests are skipped on a developer's machine, but fail in CI
 * ({@code CI=true}), where an unrendered overlay must never pass unnoticed.
 */
@Tag("slow")
class InfraManifestsTest {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final Path INFRA = REPOSITORY.resolve("infra");

  /**
   * The search attributes the project registers (docs/deployment.md, "Search attributes"), with
   * their types.
   */
  private static final Map<String, String> SEARCH_ATTRIBUTES = searchAttributes();

  private static final Map<String, Manifests> RENDERED = new HashMap<>();

  private static KubernetesSchema schema;
  private static AppConfig api;
  private static AppConfig worker;

  @BeforeAll
  static void load() throws IOException {
    schema = KubernetesSchema.load();
    api = AppConfig.load(REPOSITORY, "api");
    worker = AppConfig.load(REPOSITORY, "worker");
  }

  // ---- rendering and schemas ----

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/production"})
  void eachKustomizationRendersToValidKubernetesObjects(String kustomization) throws Exception {
    Manifests manifests = rendered(kustomization);
    assertThat(manifests.objects())
        .extracting(Manifests::describe)
        .contains(
            "Deployment/outbound-api",
            "Deployment/outbound-worker",
            "Service/outbound-api",
            "Service/outbound-worker",
            "PodDisruptionBudget/outbound-api",
            "PodDisruptionBudget/outbound-worker",
            "HorizontalPodAutoscaler/outbound-worker",
            "ServiceAccount/outbound",
            "Job/outbound-search-attributes");
    assertThat(problems(manifests)).isEmpty();
  }

  @Test
  void theBaseFilesAreValidOnTheirOwnWithoutKustomize() throws IOException {
    // Runs where kubectl is missing too: the base objects are complete, only the ConfigMaps are
    // generated.
    for (Manifests file : baseResourceFiles()) {
      assertThat(problems(file)).as(file.source()).isEmpty();
    }
  }

  @Test
  void thePlainManifestsAreValid() throws IOException {
    List<Manifests> plain = plainManifests();
    assertThat(plain).isNotEmpty();
    for (Manifests file : plain) {
      assertThat(file.objects()).as(file.source()).isNotEmpty();
      assertThat(problems(file)).as(file.source()).isEmpty();
    }
  }

  @Test
  void schemaValidationRejectsAMisspeltField() throws IOException {
    ObjectNode deployment = baseFile("api-deployment.yaml").get("Deployment", "outbound-api");
    ObjectNode pod = (ObjectNode) deployment.path("spec").path("template").path("spec");
    pod.set("terminationGracePeriodSecond", pod.remove("terminationGracePeriodSeconds"));
    ObjectNode context = (ObjectNode) pod.path("containers").get(0).path("securityContext");
    context.set("readOnlyRootFilesytem", context.remove("readOnlyRootFilesystem"));

    assertThat(schema.problems(deployment))
        .anySatisfy(problem -> assertThat(problem).contains("terminationGracePeriodSecond"))
        .anySatisfy(problem -> assertThat(problem).contains("readOnlyRootFilesytem"));
  }

  @Test
  void schemaValidationRejectsAWrongType() throws IOException {
    ObjectNode deployment = baseFile("api-deployment.yaml").get("Deployment", "outbound-api");
    ((ObjectNode) deployment.path("spec")).put("replicas", "two");
    ObjectNode container =
        (ObjectNode)
            deployment.path("spec").path("template").path("spec").path("containers").get(0);
    ((ObjectNode) container.path("ports").get(0)).put("containerPort", "eighty");

    assertThat(schema.problems(deployment))
        .anySatisfy(problem -> assertThat(problem).contains("/spec/replicas"))
        .anySatisfy(problem -> assertThat(problem).contains("containerPort"));
  }

  @Test
  void schemaValidationRejectsAKindItHasNoSchemaFor() throws IOException {
    ObjectNode deployment = baseFile("api-deployment.yaml").get("Deployment", "outbound-api");
    deployment.put("kind", "Deploymnet");

    assertThat(schema.problems(deployment))
        .singleElement()
        .asString()
        .contains("no Kubernetes schema");
  }

  @Test
  void schemaValidationRejectsAMisspeltFieldInTheArgoCdApplication() throws IOException {
    ObjectNode application = argoApplication();
    assertThat(schema.problems(application)).isEmpty();
    ObjectNode automated =
        (ObjectNode) application.path("spec").path("syncPolicy").path("automated");
    automated.set("selfHeals", automated.remove("selfHeal"));

    assertThat(schema.problems(application))
        .anySatisfy(problem -> assertThat(problem).contains("selfHeals"));
  }

  // ---- manifests against the applications ----

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/production"})
  void portsProbesAndEnvironmentMatchWhatTheAppsServeAndRead(String kustomization)
      throws Exception {
    Manifests manifests = rendered(kustomization);
    assertThat(ManifestChecks.application(manifests, api, "outbound-api", "api")).isEmpty();
    assertThat(ManifestChecks.application(manifests, worker, "outbound-worker", "worker"))
        .isEmpty();
    assertThat(ManifestChecks.services(manifests)).isEmpty();
  }

  @Test
  void aVariableTheAppDoesNotReadIsReported() throws Exception {
    Manifests manifests = rendered("k8s/base").copy();
    JsonNode container = apiContainer(manifests);
    ((ArrayNode) container.path("env"))
        .addObject()
        .put("name", "OUTBOUND_API_MAX_LEADS")
        .put("value", "5");

    assertThat(ManifestChecks.application(manifests, api, "outbound-api", "api"))
        .singleElement()
        .asString()
        .contains("OUTBOUND_API_MAX_LEADS is set, but api's application.yaml never reads it");
  }

  @Test
  void aProbeOnAPathOrPortTheAppDoesNotServeIsReported() throws Exception {
    Manifests manifests = rendered("k8s/base").copy();
    ObjectNode container = (ObjectNode) apiContainer(manifests);
    ((ObjectNode) container.path("readinessProbe").path("httpGet"))
        .put("path", "/actuator/health/ready");
    ((ObjectNode) container.path("livenessProbe").path("httpGet")).put("port", 9090);

    assertThat(ManifestChecks.application(manifests, api, "outbound-api", "api"))
        .anySatisfy(p -> assertThat(p).contains("readinessProbe asks /actuator/health/ready"))
        .anySatisfy(p -> assertThat(p).contains("livenessProbe port 9090"));
  }

  @Test
  void aSecretGivenAsAPlainValueIsReported() throws Exception {
    Manifests manifests = rendered("k8s/base").copy();
    for (JsonNode variable : apiContainer(manifests).path("env")) {
      if (variable.path("name").asText().equals("DATABASE_PASSWORD")) {
        ((ObjectNode) variable).remove("valueFrom");
        ((ObjectNode) variable).put("value", "hunter2");
      }
    }

    assertThat(ManifestChecks.application(manifests, api, "outbound-api", "api"))
        .singleElement()
        .asString()
        .contains("DATABASE_PASSWORD must come from a Secret");
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/production"})
  void secretsAreOnlyReferencedNeverCommitted(String kustomization) throws Exception {
    assertThat(ManifestChecks.secretsByReference(rendered(kustomization))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/production"})
  void podsRunAsNonRootOnAReadOnlyRootWithoutCapabilities(String kustomization) throws Exception {
    assertThat(ManifestChecks.podSecurity(rendered(kustomization))).isEmpty();
  }

  @Test
  void aPodThatMayRunAsRootIsReported() throws Exception {
    Manifests manifests = rendered("k8s/base").copy();
    ObjectNode pod =
        (ObjectNode)
            manifests
                .get("Deployment", "outbound-worker")
                .path("spec")
                .path("template")
                .path("spec");
    ((ObjectNode) pod.path("securityContext")).remove("runAsNonRoot");
    ((ObjectNode) pod.path("containers").get(0).path("securityContext"))
        .put("readOnlyRootFilesystem", false);

    assertThat(ManifestChecks.podSecurity(manifests))
        .containsExactlyInAnyOrder(
            "Deployment/outbound-worker: runAsNonRoot is not true",
            "Deployment/outbound-worker: container worker: readOnlyRootFilesystem is not true");
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/production"})
  void podsOutliveTheirGracefulShutdownAndWorkersTheirLongestActivity(String kustomization)
      throws Exception {
    Manifests manifests = rendered(kustomization);
    assertThat(ManifestChecks.shutdown(manifests, api, "outbound-api", "api", null)).isEmpty();
    assertThat(
            ManifestChecks.shutdown(
                manifests, worker, "outbound-worker", "worker", longestActivity()))
        .isEmpty();
  }

  @Test
  void aWorkerKilledBeforeItsLongestActivityCouldFinishIsReported() throws Exception {
    Manifests manifests = rendered("k8s/base").copy();
    ((ObjectNode)
            manifests
                .get("Deployment", "outbound-worker")
                .path("spec")
                .path("template")
                .path("spec"))
        .put("terminationGracePeriodSeconds", 120);

    assertThat(
            ManifestChecks.shutdown(
                manifests, worker, "outbound-worker", "worker", longestActivity()))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("does not exceed the longest activity, PT5M"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/production"})
  void everyDeploymentHasADisruptionBudgetAndTheWorkerAnAutoscaler(String kustomization)
      throws Exception {
    assertThat(ManifestChecks.availability(rendered(kustomization), Set.of("outbound-worker")))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/overlays/dev", "k8s/overlays/production"})
  void overlaysPinRegistryImagesWithATag(String kustomization) throws Exception {
    Manifests manifests = rendered(kustomization);
    for (String app : List.of("api", "worker")) {
      JsonNode pod = manifests.get("Deployment", "outbound-" + app).path("spec").path("template");
      String image = ManifestChecks.container(pod, app).path("image").asText();
      assertThat(image)
          .as(kustomization + " " + app)
          .matches("[a-z0-9.\\-]+(:[0-9]+)?/.+/outbound-" + app + ":[A-Za-z0-9._\\-]+")
          .doesNotEndWith(":latest");
    }
  }

  @Test
  void scrapeAnnotationsPointAtAnExposedPrometheusEndpoint() {
    // The annotations themselves are checked with the ports above. Whether the endpoint answers
    // depends on the metrics work of issue 6 (actuator exposure and the Prometheus registry).
    for (AppConfig app : List.of(api, worker)) {
      assumeTrue(
          app.exposesEndpoint("prometheus"),
          app.module() + " does not expose /actuator/prometheus yet (metrics work of issue 6)");
    }
    assertThat(api.exposesEndpoint("prometheus")).isTrue();
    assertThat(worker.exposesEndpoint("prometheus")).isTrue();
  }

  // ---- Temporal ----

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/production"})
  void theSearchAttributeJobRegistersTheProjectsAttributesWhereTheAppsConnect(String kustomization)
      throws Exception {
    Manifests manifests = rendered(kustomization);
    ObjectNode job = manifests.get("Job", "outbound-search-attributes");
    assertThat(job.path("metadata").path("annotations").path("argocd.argoproj.io/hook").asText())
        .isEqualTo("PreSync");
    JsonNode pod = job.path("spec").path("template");
    JsonNode container = ManifestChecks.container(pod, "register");
    assertThat(container.path("image").asText()).startsWith("temporalio/admin-tools:");

    String scriptPath = container.path("command").get(1).asText();
    String volume = null;
    for (JsonNode mount : container.path("volumeMounts")) {
      if (scriptPath.startsWith(mount.path("mountPath").asText() + "/")) {
        volume = mount.path("name").asText();
      }
    }
    String configMap = null;
    for (JsonNode v : pod.path("spec").path("volumes")) {
      if (v.path("name").asText().equals(volume)) {
        configMap = v.path("configMap").path("name").asText();
      }
    }
    assertThat(configMap).as("ConfigMap volume holding " + scriptPath).isNotNull();
    String script =
        manifests
            .get("ConfigMap", configMap)
            .path("data")
            .path(Path.of(scriptPath).getFileName().toString())
            .asText();
    assertThat(registeredAttributes(script)).isEqualTo(SEARCH_ATTRIBUTES);

    List<String> problems = new ArrayList<>();
    Map<String, String> jobEnv =
        ManifestChecks.environment(manifests, container, problems).values();
    Map<String, String> apiEnv =
        ManifestChecks.environment(manifests, apiContainer(manifests), problems).values();
    assertThat(problems).isEmpty();
    for (String name : List.of("TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_TLS")) {
      assertThat(jobEnv.get(name)).as(name).isNotBlank().isEqualTo(apiEnv.get(name));
    }
  }

  @Test
  void theTemporalValuesUsePostgresWithTheSecretByReferenceAndTheWebUi() throws Exception {
    Map<String, Object> values = temporalValues();
    assertThat(keysNamed(values, "password")).as("plain passwords in values.yaml").isEmpty();
    Map<String, Object> persistence = map(values, "server", "config", "persistence");
    Map<String, Object> stores = map(persistence, "datastores");
    for (String store :
        List.of(
            (String) persistence.get("defaultStore"),
            (String) persistence.get("visibilityStore"))) {
      Map<String, Object> sql = map(stores, store, "sql");
      assertThat(sql.get("pluginName")).as(store).isEqualTo("postgres12");
      assertThat(sql.get("existingSecret")).as(store).isNotNull();
      assertThat(sql.get("secretKey")).as(store).isNotNull();
    }
    assertThat(map(values, "web").get("enabled")).isEqualTo(true);
  }

  @Test
  void theTemporalValuesCreateTheNamespaceOfEveryOverlay() throws Exception {
    Map<String, Object> namespaces = map(temporalValues(), "server", "config", "namespaces");
    assertThat(namespaces.get("create")).isEqualTo(true);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> created = (List<Map<String, Object>>) namespaces.get("namespace");
    List<Object> names = created.stream().map(n -> n.get("name")).toList();
    for (String overlay : List.of("k8s/overlays/dev", "k8s/overlays/production")) {
      Manifests manifests = rendered(overlay);
      List<String> problems = new ArrayList<>();
      String namespace =
          ManifestChecks.environment(manifests, apiContainer(manifests), problems)
              .values()
              .get("TEMPORAL_NAMESPACE");
      assertThat(names).as(overlay).contains(namespace);
    }
  }

  // ---- GitOps ----

  @Test
  void theArgoCdApplicationSyncsTheProductionOverlayAutomatically() throws Exception {
    ObjectNode application = argoApplication();
    JsonNode spec = application.path("spec");
    Path path = REPOSITORY.resolve(spec.path("source").path("path").asText());
    assertThat(path).isEqualTo(INFRA.resolve("k8s/overlays/production"));
    assertThat(path.resolve("kustomization.yaml")).exists();
    JsonNode automated = spec.path("syncPolicy").path("automated");
    assertThat(automated.path("prune").asBoolean()).isTrue();
    assertThat(automated.path("selfHeal").asBoolean()).isTrue();
    String namespace =
        rendered("k8s/overlays/production")
            .get("Deployment", "outbound-api")
            .path("metadata")
            .path("namespace")
            .asText();
    assertThat(spec.path("destination").path("namespace").asText()).isEqualTo(namespace);
  }

  // ---- container images ----

  @Test
  void theDockerfilesAreMultiStageLayeredAndNonRootOnTheAppsPorts() throws Exception {
    for (Manifests base : baseResourceFiles()) {
      for (ObjectNode deployment : base.ofKind("Deployment")) {
        String module = Manifests.name(deployment).replace("outbound-", "");
        AppConfig app = module.equals("api") ? api : worker;
        long uid =
            deployment
                .path("spec")
                .path("template")
                .path("spec")
                .path("securityContext")
                .path("runAsUser")
                .asLong();
        Dockerfile dockerfile = Dockerfile.read(INFRA.resolve("docker/" + module + ".Dockerfile"));
        assertThat(dockerfileProblems(dockerfile, module, app.serverPort(Map.of()), uid)).isEmpty();
      }
    }
  }

  @Test
  void aDockerfileThatRunsAsRootOnTheWrongPortIsReported() throws Exception {
    Path file = INFRA.resolve("docker/api.Dockerfile");
    String broken =
        Files.readString(file)
            .replace("USER 10001:10001", "USER root")
            .replace("EXPOSE 8080", "EXPOSE 8000");

    assertThat(dockerfileProblems(Dockerfile.parse(file, broken), "api", 8080, 10001))
        .anySatisfy(p -> assertThat(p).contains("USER root"))
        .anySatisfy(p -> assertThat(p).contains("EXPOSE [8000]"));
  }

  /**
   * What a Dockerfile gets wrong: two stages (a JDK 17 build with the Maven wrapper and a JRE 17
   * image), the module's {@code exec} jar extracted into Spring Boot's layers and copied one layer
   * per instruction in the order least likely to change first, a numeric non-root user equal to the
   * pods' runAsUser, the app's port exposed, the exploded launcher started in exec form, and a heap
   * sized from the container's memory.
   */
  static List<String> dockerfileProblems(Dockerfile file, String module, int port, long uid)
      throws IOException {
    List<String> problems = new ArrayList<>();
    String where = file.file().getFileName() + ": ";
    if (file.stages().size() < 2) {
      return List.of(where + "not a multi-stage build");
    }
    Dockerfile.Stage build = file.stages().get(0);
    Dockerfile.Stage image = file.image();
    if (!build.image().matches("eclipse-temurin:17[^:]*-jdk.*")) {
      problems.add(where + "the build stage is not an eclipse-temurin 17 JDK: " + build.image());
    }
    String buildSteps = String.join(" ", build.arguments("RUN"));
    String classifier = "exec";
    String pom = Files.readString(REPOSITORY.resolve(module).resolve("pom.xml"));
    if (!pom.contains("<classifier>" + classifier + "</classifier>")) {
      problems.add(where + module + "/pom.xml no longer builds an -" + classifier + " jar");
    }
    for (String step :
        List.of(
            "./mvnw",
            "-pl " + module + " -am package",
            module + "/target/outbound-" + module + "-*-" + classifier + ".jar",
            "-Djarmode=tools",
            "extract --layers --launcher")) {
      if (!buildSteps.contains(step)) {
        problems.add(where + "the build stage does not run " + step);
      }
    }
    if (!image.image().matches("eclipse-temurin:17[^:]*-jre.*")) {
      problems.add(where + "the image is not an eclipse-temurin 17 JRE: " + image.image());
    }
    String alias = build.alias().orElse("0");
    List<String> layers = new ArrayList<>();
    Pattern copy =
        Pattern.compile("--from=" + Pattern.quote(alias) + "\\s+\\S*/([a-z\\-]+)/?\\s.*");
    for (String arguments : image.arguments("COPY")) {
      Matcher matcher = copy.matcher(arguments);
      if (matcher.matches()) {
        layers.add(matcher.group(1));
      }
    }
    List<String> expected =
        List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");
    if (!layers.equals(expected)) {
      problems.add(where + "copies the layers " + layers + ", not " + expected);
    }
    Optional<String> user = image.last("USER");
    if (user.isEmpty() || !user.get().split(":")[0].equals(String.valueOf(uid)) || uid == 0) {
      problems.add(where + "USER " + user.orElse("(none)") + " is not the pods' non-root " + uid);
    }
    List<String> exposed = image.arguments("EXPOSE");
    if (!exposed.equals(List.of(String.valueOf(port)))) {
      problems.add(where + "EXPOSE " + exposed + " is not the app's port " + port);
    }
    String entrypoint = image.last("ENTRYPOINT").orElse("");
    if (!entrypoint.startsWith("[")
        || !entrypoint.contains("\"org.springframework.boot.loader.launch.JarLauncher\"")) {
      problems.add(where + "ENTRYPOINT does not exec the JarLauncher: " + entrypoint);
    }
    if (image.arguments("ENV").stream()
        .noneMatch(
            env -> env.startsWith("JAVA_TOOL_OPTIONS") && env.contains("MaxRAMPercentage"))) {
      problems.add(where + "no JAVA_TOOL_OPTIONS sizing the heap from the container's memory");
    }
    return problems;
  }

  // ---- helpers ----

  /** Schema problems of every object, with its source. */
  private static List<String> problems(Manifests manifests) {
    List<String> problems = new ArrayList<>();
    for (ObjectNode object : manifests.objects()) {
      schema.problems(object).forEach(p -> problems.add(manifests.source() + ": " + p));
    }
    return problems;
  }

  /**
   * A kustomization rendered by kubectl, once per run. Skips without kubectl, except in CI, where a
   * missing kubectl fails: the overlays must be rendered there.
   */
  private static synchronized Manifests rendered(String kustomization) throws Exception {
    Manifests cached = RENDERED.get(kustomization);
    if (cached != null) {
      return cached;
    }
    Optional<Path> kubectl = Kustomize.kubectl();
    if (kubectl.isEmpty()) {
      String message =
          "kubectl is not on the PATH (or -Doutbound.kubectl): cannot render " + kustomization;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message + "; CI must render the overlays (docs/deployment.md, \"What CI validates\")");
      }
      assumeTrue(false, message);
    }
    Path dir = INFRA.resolve(kustomization);
    Manifests manifests =
        Manifests.parse(
            "kubectl kustomize infra/" + kustomization, Kustomize.render(kubectl.get(), dir));
    RENDERED.put(kustomization, manifests);
    return manifests;
  }

  /** Each file the base kustomization lists under {@code resources}, parsed on its own. */
  private static List<Manifests> baseResourceFiles() throws IOException {
    Path base = INFRA.resolve("k8s/base");
    Map<String, Object> kustomization = yaml(base.resolve("kustomization.yaml"));
    List<Manifests> files = new ArrayList<>();
    for (Object resource : (List<?>) kustomization.get("resources")) {
      files.add(baseFile(String.valueOf(resource)));
    }
    return files;
  }

  private static Manifests baseFile(String name) throws IOException {
    Path file = INFRA.resolve("k8s/base").resolve(name);
    return Manifests.parse("infra/k8s/base/" + name, Files.readString(file));
  }

  /** Manifests applied as they are, without kustomize: the Argo CD Application(s). */
  private static List<Manifests> plainManifests() throws IOException {
    List<Manifests> files = new ArrayList<>();
    try (Stream<Path> paths = Files.list(INFRA.resolve("argocd"))) {
      for (Path file : paths.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        files.add(Manifests.parse(REPOSITORY.relativize(file).toString(), Files.readString(file)));
      }
    }
    return files;
  }

  private static ObjectNode argoApplication() throws IOException {
    Path file = INFRA.resolve("argocd/outbound-production.yaml");
    return Manifests.parse("argocd", Files.readString(file))
        .get("Application", "outbound-production");
  }

  private static JsonNode apiContainer(Manifests manifests) {
    return ManifestChecks.container(
        manifests.get("Deployment", "outbound-api").path("spec").path("template"), "api");
  }

  /**
   * The send activity's start-to-close timeout, read from the workflow that sets it, so that the
   * worker's termination grace follows the code rather than a number copied into a comment.
   */
  private static Duration longestActivity() throws ReflectiveOperationException {
    Field field =
        Class.forName("dev.outbound.workflows.LeadSequenceWorkflowImpl")
            .getDeclaredField("SEND_START_TO_CLOSE");
    field.setAccessible(true);
    return (Duration) field.get(null);
  }

  /** The {@code name:type} pairs of the registration script's ATTRIBUTES line. */
  private static Map<String, String> registeredAttributes(String script) {
    Matcher line = Pattern.compile("(?m)^ATTRIBUTES=\"([^\"]*)\"").matcher(script);
    assertThat(line.find()).as("ATTRIBUTES line in the script").isTrue();
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String pair : line.group(1).trim().split("\\s+")) {
      String[] parts = pair.split(":");
      attributes.put(parts[0], parts[1]);
    }
    return attributes;
  }

  private static Map<String, String> searchAttributes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("OutboundClientId", "Int");
    attributes.put("OutboundCampaignId", "Int");
    attributes.put("OutboundLeadStatus", "Keyword");
    attributes.put("OutboundStep", "Int");
    return attributes;
  }

  private static Map<String, Object> temporalValues() throws IOException {
    return yaml(INFRA.resolve("temporal/values.yaml"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return (Map<String, Object>) new Yaml().load(in);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> root, String... path) {
    Map<String, Object> current = root;
    for (String key : path) {
      Object next = current.get(key);
      assertThat(next).as("values key " + key).isInstanceOf(Map.class);
      current = (Map<String, Object>) next;
    }
    return current;
  }

  private static List<String> keysNamed(Object node, String name) {
    List<String> found = new ArrayList<>();
    if (node instanceof Map<?, ?> map) {
      map.forEach(
          (key, value) -> {
            if (name.equals(key)) {
              found.add(String.valueOf(key));
            }
            found.addAll(keysNamed(value, name));
          });
    } else if (node instanceof List<?> list) {
      list.forEach(item -> found.addAll(keysNamed(item, name)));
    }
    return found;
  }
}
