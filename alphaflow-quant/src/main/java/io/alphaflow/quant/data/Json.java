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

  /** The value as YAML, for files people read (seed 000's deployment_manifest.yaml). */
  public static String yaml(Object value) throws IOException {
    return YAML.writeValueAsString(value);
  }

  private static final ObjectMapper YAML =
      new ObjectMapper(
          new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()
              .disable(
                  com.fasterxml.jackson.dataformat.yaml.YAMLGenerator.Feature
                      .WRITE_DOC_START_MARKER));
}
