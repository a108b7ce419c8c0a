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
   * What this version says it predicts (kind, target and, where recorded, label): the JSON file
   * {@code described} among its files (a training task's description of the model, which pruning
   * keeps as a record and which may say more than an older manifest), else its manifest.
   */
  @SuppressWarnings("unchecked")
  public java.util.Map<String, Object> predicts(String described) {
    java.nio.file.Path file = java.nio.file.Path.of(path).resolve(described);
    if (java.nio.file.Files.isRegularFile(file)) {
      try {
        return JSON.readValue(file.toFile(), java.util.Map.class);
      } catch (java.io.IOException e) {
        // an unreadable description: the manifest says what it can
      }
    }
    return manifestMap();
  }

  /**
   * How two models predict different things, or null when they predict the same: a regression
   * against a classification, another target, or a target of the same name that is another label
   * (another kind, column or horizon). {@code a} and {@code b} are a model's {@code model.json} or
   * its manifest, which say the same ({@code label} only since manifests carried it); {@code aName}
   * and {@code bName} name them in the answer ("the candidate"). How well each predicts its own
   * target says nothing of which is better.
   */
  public static String predictsOtherwise(
      java.util.Map<String, Object> a,
      String aName,
      java.util.Map<String, Object> b,
      String bName) {
    if (!String.valueOf(a.get("kind")).equals(String.valueOf(b.get("kind")))) {
      return aName + " is a " + a.get("kind") + " model, " + bName + " a " + b.get("kind");
    }
    if (!String.valueOf(a.get("target")).equals(String.valueOf(b.get("target")))) {
      return aName + " predicts " + a.get("target") + ", " + bName + " " + b.get("target");
    }
    Object la = a.get("label");
    Object lb = b.get("label");
    if (la instanceof java.util.Map<?, ?> x
        && lb instanceof java.util.Map<?, ?> y
        && !x.equals(y)) {
      return aName
          + " predicts "
          + a.get("target")
          + " as "
          + label(x)
          + ", "
          + bName
          + " as "
          + label(y);
    }
    return null;
  }

  /** A label in words: "a forward_return of close 1 row ahead". */
  private static String label(java.util.Map<?, ?> l) {
    Object horizon = l.get("horizon");
    return "a "
        + l.get("kind")
        + " of "
        + l.get("column")
        + " "
        + horizon
        + (Integer.valueOf(1).equals(horizon) ? " row" : " rows")
        + " ahead";
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
    return shortOf(version);
  }

  /** A version as people read it: its first 12 characters, as git shortens a commit. */
  public static String shortOf(String version) {
    return version.length() > 12 ? version.substring(0, 12) : version;
  }
}
