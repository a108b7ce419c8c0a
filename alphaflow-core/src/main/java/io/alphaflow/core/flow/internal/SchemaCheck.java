package io.alphaflow.core.flow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.alphaflow.core.flow.DidYouMean;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.flow.FlowProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a flow document against the published {@code flow.schema.json} and turns each violation
 * into a located problem with a hint (allowed values, a "did you mean" for unknown fields).
 */
public final class SchemaCheck {
  private static final String RESOURCE = "/io/alphaflow/core/flow/flow.schema.json";
  private static final JsonNode SCHEMA_TREE = readSchema();
  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(
              SCHEMA_TREE,
              SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build());

  private SchemaCheck() {}

  /** Sets the checker up (the schema library's first use takes about 0.1 s); idempotent. */
  public static void prepare() {
    // the static fields above did the work when this class was initialised
  }

  public static List<FlowProblem> check(LocatedYaml doc) {
    List<FlowProblem> problems = new ArrayList<>();
    for (ValidationMessage m : SCHEMA.validate(doc.root())) {
      problems.add(toProblem(doc, m));
    }
    return problems;
  }

  private static FlowProblem toProblem(LocatedYaml doc, ValidationMessage m) {
    String at = m.getInstanceLocation().toString();
    String field = fieldName(at);
    JsonNode schemaNode = schemaNodeAt(m.getSchemaLocation().toString());
    JsonNode value = m.getInstanceNode();
    return switch (m.getType()) {
      case "additionalProperties" -> {
        String unknown = m.getProperty();
        List<String> known = new ArrayList<>();
        JsonNode parent = schemaNodeAt(parentOf(m.getSchemaLocation().toString()));
        if (parent != null && parent.has("properties")) {
          parent.get("properties").fieldNames().forEachRemaining(known::add);
        }
        yield doc.problemAtKey(
            at + "/" + unknown,
            "unknown field '" + unknown + "'" + (field.isEmpty() ? "" : " in " + field),
            DidYouMean.hint(unknown, known));
      }
      case "required" ->
          doc.problemAt(
              at,
              "missing required field '"
                  + m.getProperty()
                  + "'"
                  + (field.isEmpty() ? "" : " in " + field),
              "add '" + m.getProperty() + ":'");
      case "enum" -> {
        List<String> allowed = new ArrayList<>();
        if (schemaNode != null) {
          schemaNode.forEach(n -> allowed.add(n.asText()));
        }
        yield doc.problemAt(
            at,
            "bad value '" + value.asText() + "' for " + field,
            "use one of " + String.join(", ", allowed));
      }
      case "pattern" -> {
        boolean duration = m.getSchemaLocation().toString().contains("duration");
        yield duration
            ? doc.problemAt(
                at, "bad duration '" + value.asText() + "' for " + field, Durations.HINT)
            : doc.problemAt(
                at,
                "bad value '" + value.asText() + "' for " + field,
                "it must match " + (schemaNode == null ? "the schema" : schemaNode.asText()));
      }
      case "type" ->
          doc.problemAt(
              at,
              field + " should be " + expectedType(schemaNode) + ", not " + describe(value),
              typeHint(field, schemaNode, value));
      default -> doc.problemAt(at, m.getMessage().replaceFirst("^\\S+: ", field + ": "), null);
    };
  }

  /**
   * What to write instead, where the mistake has a usual shape: a list written as a mapping (tasks
   * keyed by their id, as in other orchestrators' files).
   */
  private static String typeHint(String field, JsonNode typeNode, JsonNode value) {
    if (!expectedType(typeNode).contains(typeName("array")) || value == null || !value.isObject()) {
      return null;
    }
    if (field.equals("tasks") || field.equals("stages")) {
      String first = value.fieldNames().hasNext() ? value.fieldNames().next() : "extract";
      return "write each as a list item that starts with its id: '- id: "
          + first
          + "', its other fields indented under it";
    }
    return "write each item on its own line, starting with '- '";
  }

  private static String expectedType(JsonNode typeNode) {
    if (typeNode == null) {
      return "of another type";
    }
    List<String> names = new ArrayList<>();
    if (typeNode.isArray()) {
      typeNode.forEach(t -> names.add(typeName(t.asText())));
    } else {
      names.add(typeName(typeNode.asText()));
    }
    return String.join(" or ", names);
  }

  private static String typeName(String schemaType) {
    return switch (schemaType) {
      case "object" -> "a mapping (key: value)";
      case "array" -> "a list";
      case "string" -> "text";
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      default -> schemaType;
    };
  }

  private static String describe(JsonNode value) {
    if (value == null || value.isNull()) {
      return "empty";
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    return "'" + value.asText() + "'";
  }

  /**
   * The last meaningful segment of a JSON pointer: {@code /tasks/0/priority} → {@code
   * tasks[0].priority}.
   */
  private static String fieldName(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        sb.append(sb.isEmpty() ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
      }
    }
    return sb.toString();
  }

  private static String parentOf(String schemaLocation) {
    return schemaLocation.substring(0, schemaLocation.lastIndexOf('/'));
  }

  private static JsonNode schemaNodeAt(String schemaLocation) {
    int hash = schemaLocation.indexOf('#');
    String fragment = hash < 0 ? "" : schemaLocation.substring(hash + 1);
    JsonNode node = SCHEMA_TREE.at(fragment);
    return node.isMissingNode() ? null : node;
  }

  private static JsonNode readSchema() {
    try (InputStream in = SchemaCheck.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("flow schema missing from the jar: " + RESOURCE);
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
