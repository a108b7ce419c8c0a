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

  public String shortVersion() {
    return version.length() > 12 ? version.substring(0, 12) : version;
  }
}
