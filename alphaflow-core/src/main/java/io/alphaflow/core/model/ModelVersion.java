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

  public String shortVersion() {
    return version.length() > 12 ? version.substring(0, 12) : version;
  }
}
