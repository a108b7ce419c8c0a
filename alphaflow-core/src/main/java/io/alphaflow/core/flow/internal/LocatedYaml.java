package io.alphaflow.core.flow.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.alphaflow.core.flow.FlowProblem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a Jackson tree plus the line and column of every value and key, keyed by JSON
 * pointer ({@code /tasks/0/priority}; a key's own position under {@code pointer + "#key"}).
 */
public final class LocatedYaml {
  private static final YAMLFactory YAML = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String file;
  private final JsonNode root;
  private final Map<String, int[]> positions;
  private final List<FlowProblem> problems;

  private LocatedYaml(
      String file, JsonNode root, Map<String, int[]> positions, List<FlowProblem> problems) {
    this.file = file;
    this.root = root;
    this.positions = positions;
    this.problems = problems;
  }

  /**
   * Parses {@code source}; syntax errors and duplicate keys are reported in {@link #problems()}.
   */
  public static LocatedYaml parse(String file, String source) {
    Map<String, int[]> positions = new HashMap<>();
    List<FlowProblem> problems = new ArrayList<>();
    JsonNode root = null;
    try (JsonParser p = YAML.createParser(source)) {
      if (p.nextToken() != null) {
        root = read(p, "", positions, problems, file);
      }
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      problems.add(
          new FlowProblem(
              file,
              loc == null ? 0 : loc.getLineNr(),
              loc == null ? 0 : loc.getColumnNr(),
              "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""),
              "check the indentation and quoting around this line"));
    } catch (IOException e) {
      problems.add(new FlowProblem(file, 0, 0, "cannot read: " + e.getMessage(), null));
    }
    if (root == null && problems.isEmpty()) {
      problems.add(
          new FlowProblem(file, 1, 1, "the file is empty", "start with 'name:' and 'tasks:'"));
    }
    return new LocatedYaml(file, root, positions, problems);
  }

  private static JsonNode read(
      JsonParser p, String pointer, Map<String, int[]> pos, List<FlowProblem> problems, String file)
      throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    pos.put(pointer, new int[] {loc.getLineNr(), loc.getColumnNr()});
    JsonToken token = p.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode obj = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          JsonLocation keyLoc = p.currentTokenLocation();
          String child = pointer + "/" + escape(key);
          if (obj.has(key)) {
            problems.add(
                new FlowProblem(
                    file,
                    keyLoc.getLineNr(),
                    keyLoc.getColumnNr(),
                    "duplicate key '" + key + "'",
                    "a key may appear once per mapping; the later one would silently win"));
          }
          pos.put(child + "#key", new int[] {keyLoc.getLineNr(), keyLoc.getColumnNr()});
          p.nextToken();
          obj.set(key, read(p, child, pos, problems, file));
        }
        return obj;
      }
      case START_ARRAY -> {
        ArrayNode arr = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          arr.add(read(p, pointer + "/" + i++, pos, problems, file));
        }
        return arr;
      }
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return NODES.numberNode(p.getLongValue());
      }
      case VALUE_NUMBER_FLOAT -> {
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(p.getBooleanValue());
      }
      default -> {
        return NODES.nullNode();
      }
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  public String file() {
    return file;
  }

  public JsonNode root() {
    return root;
  }

  public List<FlowProblem> problems() {
    return problems;
  }

  /** A problem at {@code pointer}, or at its nearest located ancestor. */
  public FlowProblem problemAt(String pointer, String message, String hint) {
    String p = pointer;
    while (!positions.containsKey(p) && !p.isEmpty()) {
      p = p.substring(0, Math.max(0, p.lastIndexOf('/')));
    }
    int[] at = positions.getOrDefault(p, new int[] {0, 0});
    return new FlowProblem(file, at[0], at[1], message, hint);
  }

  /** A problem at the key of {@code pointer} (for unknown or duplicate fields). */
  public FlowProblem problemAtKey(String pointer, String message, String hint) {
    int[] at = positions.get(pointer + "#key");
    return at == null
        ? problemAt(pointer, message, hint)
        : new FlowProblem(file, at[0], at[1], message, hint);
  }
}
