package io.alphaflow.quant.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Metadata files next to data: indented JSON, read back as maps. */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  public static void write(Path file, Object value) throws IOException {
    MAPPER.writeValue(file.toFile(), value);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> read(Path file) throws IOException {
    return MAPPER.readValue(file.toFile(), Map.class);
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> parse(String json) throws IOException {
    return MAPPER.readValue(json, Map.class);
  }

  /**
   * A map of {@code keysAndValues} (key, value, key, value, ...) that keeps their order. Metadata
   * written with it is the same bytes run after run, where {@code Map.of} orders its keys by a
   * per-process random seed, and so would change an artifact's content hash.
   */
  public static Map<String, Object> ordered(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values come in pairs");
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  /** The value as YAML, for files people read (seed 000's deployment_manifest.yaml). */
  public static String yaml(Object value) throws IOException {
    return YAML.writeValueAsString(value);
  }

  /** A YAML file as a map (a deployment manifest). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readYaml(Path file) throws IOException {
    Map<String, Object> m = YAML.readValue(file.toFile(), Map.class);
    return m == null ? new java.util.LinkedHashMap<>() : m;
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()
              .disable(
                  com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature
                      .WRITE_DOC_START_MARKER));
}
