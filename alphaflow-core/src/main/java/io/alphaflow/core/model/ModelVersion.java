package io.alphaflow.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One registered model version: its files live in {@code path}; {@code version} is the content hash
 * of the model file, so the same training inputs register the same version.
 *
 * @param manifest the version's manifest.json text (data hash, features, params, metrics, window)
 */
public record ModelVersion(
    String name,
    String version,
    String path,
    String manifest,
    String runId,
    String taskId,
    Instant createdAt) {
  public ModelVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** The manifest as a map; an unreadable one is a map holding only an {@code error}. */
  @SuppressWarnings("unchecked")
  public java.util.Map<String, Object> manifestMap() {
    try {
      return manifest == null ? java.util.Map.of() : JSON.readValue(manifest, java.util.Map.class);
    } catch (java.io.IOException e) {
      return java.util.Map.of("error", "unreadable manifest: " + e.getMessage());
    }
  }

  /** The metrics the version was registered with (its evaluation, overall); empty if none. */
  @SuppressWarnings("unchecked")
  public java.util.Map<String, Object> metrics() {
    return manifestMap().get("metrics") instanceof java.util.Map<?, ?> m
        ? (java.util.Map<String, Object>) m
        : java.util.Map.of();
  }

  /**
   * A time window as a manifest and model.json record it ({@code {from, to}}: a training or test
   * window), as people read it: "from to to"; empty when {@code value} is no such window.
   */
  public static java.util.Optional<String> span(Object value) {
    return value instanceof java.util.Map<?, ?> m
            && m.keySet().equals(java.util.Set.of("from", "to"))
        ? java.util.Optional.of(m.get("from") + " to " + m.get("to"))
        : java.util.Optional.empty();
  }

  /**
   * A manifest's or metrics' value on one line, as people read it: a time window as {@link #span},
   * a map as k=v and a list comma-separated, each in turn so, and every other value as {@code
   * scalar} shows it (models diff shortens hashes, a model report rounds numbers).
   */
  public static String oneLine(Object value, java.util.function.Function<Object, String> scalar) {
    java.util.Optional<String> window = span(value);
    if (window.isPresent()) {
      return window.get();
    }
    if (value instanceof java.util.Map<?, ?> m) {
      return m.entrySet().stream()
          .map(e -> e.getKey() + "=" + oneLine(e.getValue(), scalar))
          .collect(java.util.stream.Collectors.joining(", "));
    }
    if (value instanceof java.util.List<?> l) {
      return l.stream()
          .map(x -> oneLine(x, scalar))
          .collect(java.util.stream.Collectors.joining(", "));
    }
    return scalar.apply(value);
  }

  public String shortVersion() {
    return version.length() > 12 ? version.substring(0, 12) : version;
  }
}
