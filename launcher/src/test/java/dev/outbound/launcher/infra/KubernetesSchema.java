package dev.outbound.launcher.infra;

import com.atlassian.oai.validator.report.MessageResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.schema.SchemaValidator;
import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.extensions.SwaggerParserExtension;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Validates objects against the Kubernetes OpenAPI schema that fabric8's {@code
 * kubernetes-model-validator} artifact bundles ({@code openshift-generated.json}: the API's own
 * definitions, generated from the Kubernetes sources), with Atlassian's OpenAPI schema validator,
 * as fabric8's own {@code Validator} does. Every object is closed, so a misspelt field is an error,
 * as are wrong types and missing required fields.
 *
 * <p>Three gaps of fabric8's {@code Validator} are closed here, which is why it is not used
 * directly: it rejects an integer where Kubernetes takes an int-or-string (a Deployment's {@code
 * maxSurge: 1}) or a number for a quantity ({@code cpu: 2}), because the bundled schema declares
 * both as strings with a special format that the validator ignores; it silently accepts a kind it
 * has no schema for, which {@link #problems} reports instead; and it knows no Argo CD types, so an
 * {@code argoproj.io/v1alpha1 Application} is checked against a hand-written subset of Argo CD's
 * CRD ({@code infra/argocd-application-schema.yaml} in the test resources).
 */
final class KubernetesSchema {

  private static final String BUNDLED_SCHEMA = "/openshift-generated.json";
  private static final String ARGO_SCHEMA = "/infra/argocd-application-schema.yaml";
  private static final String INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
  private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";

  private final SchemaValidator kubernetes;
  private final Map<String, Schema<?>> definitions;
  private final SchemaValidator argo;
  private final Schema<?> argoApplication;

  private KubernetesSchema(
      SchemaValidator kubernetes,
      Map<String, Schema<?>> definitions,
      SchemaValidator argo,
      Schema<?> application) {
    this.kubernetes = kubernetes;
    this.definitions = definitions;
    this.argo = argo;
    this.argoApplication = application;
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  static KubernetesSchema load() throws IOException {
    OpenAPI kubernetesApi = parseOpenApi(read(BUNDLED_SCHEMA), BUNDLED_SCHEMA);
    Map<String, Schema> schemas = kubernetesApi.getComponents().getSchemas();
    // What the API server accepts for these two, as its JSON decoding does.
    schemas.put(INT_OR_STRING, either(new IntegerSchema(), new StringSchema()));
    schemas.put(QUANTITY, either(new NumberSchema(), new StringSchema()));
    Map<String, Schema<?>> byName = new HashMap<>();
    schemas.forEach((name, schema) -> byName.put(name.toLowerCase(Locale.ROOT), schema));

    OpenAPI argoApi = parseOpenApi(read(ARGO_SCHEMA), ARGO_SCHEMA);
    return new KubernetesSchema(
        new SchemaValidator(kubernetesApi, new MessageResolver()),
        byName,
        new SchemaValidator(argoApi, new MessageResolver()),
        argoApi.getComponents().getSchemas().get("Application"));
  }

  /** Everything wrong with one object; empty when it is valid. */
  List<String> problems(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    String where = kind + "/" + Manifests.name(object) + ": ";
    ValidationReport report;
    if (apiVersion.equals("argoproj.io/v1alpha1") && kind.equals("Application")) {
      report = argo.validate(() -> object, argoApplication, "root");
    } else {
      Schema<?> schema = definitions.get(definitionName(apiVersion, kind));
      if (schema == null) {
        return List.of(
            where + "no Kubernetes schema for apiVersion " + apiVersion + ", kind " + kind);
      }
      report = kubernetes.validate(() -> object, schema, "root");
    }
    List<String> problems = new ArrayList<>();
    report.getMessages().forEach(message -> problems.add(where + message.getMessage()));
    return problems;
  }

  /**
   * The schema definition for an apiVersion and kind, lower case, named the way the bundled schema
   * and its validator name them: {@code v1 Pod} is {@code io.k8s.api.core.v1.pod}, {@code apps/v1
   * Deployment} is {@code io.k8s.api.apps.v1.deployment}, a dotted group is reversed.
   */
  static String definitionName(String apiVersion, String kind) {
    String[] parts = apiVersion.split("/");
    String prefix;
    if (parts.length == 1) {
      prefix = "io.k8s.api.core." + parts[0];
    } else if (!parts[0].contains(".")) {
      prefix = "io.k8s.api." + parts[0] + "." + parts[1];
    } else {
      List<String> group = new ArrayList<>(List.of(parts[0].split("\\.")));
      Collections.reverse(group);
      prefix = String.join(".", group) + "." + parts[1];
    }
    return (prefix + "." + kind).toLowerCase(Locale.ROOT);
  }

  private static Schema<?> either(Schema<?> one, Schema<?> other) {
    return new ComposedSchema().oneOf(List.of(one, other));
  }

  /** Parses OpenAPI 3 or, through the parser's converter extension, Swagger 2.0. */
  private static OpenAPI parseOpenApi(String text, String name) {
    ParseOptions options = new ParseOptions();
    for (SwaggerParserExtension parser : OpenAPIV3Parser.getExtensions()) {
      OpenAPI api = parser.readContents(text, null, options).getOpenAPI();
      if (api != null) {
        return api;
      }
    }
    throw new IllegalStateException("could not parse " + name);
  }

  private static String read(String name) throws IOException {
    try (InputStream in = resource(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static InputStream resource(String name) {
    return Objects.requireNonNull(
        KubernetesSchema.class.getResourceAsStream(name), name + " is not on the classpath");
  }
}
