package dev.outbound.launcher.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes objects of one rendering (or one plain file), as Jackson trees so that the schema
 * validator and the checks see exactly what {@code kubectl apply} would send.
 *
 * @param source where they came from, for messages
 * @param objects the objects, in document order
 */
record Manifests(String source, List<ObjectNode> objects) {

  private static final YAMLMapper YAML = new YAMLMapper();

  static Manifests parse(String source, String yaml) throws IOException {
    List<ObjectNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document instanceof ObjectNode object && !object.isEmpty()) {
          objects.add(object);
        }
      }
    }
    return new Manifests(source, List.copyOf(objects));
  }

  /** A deep copy, for tests that break one object on purpose. */
  Manifests copy() {
    return new Manifests(source, objects.stream().map(ObjectNode::deepCopy).toList());
  }

  List<ObjectNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  Optional<ObjectNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(name(o))).findFirst();
  }

  ObjectNode get(String kind, String name) {
    return find(kind, name)
        .orElseThrow(() -> new AssertionError(source + " has no " + kind + " " + name));
  }

  static String name(JsonNode object) {
    return object.path("metadata").path("name").asText();
  }

  static String describe(JsonNode object) {
    return object.path("kind").asText() + "/" + name(object);
  }
}
