package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.core.task.TaskLog;
import io.alphaflow.quant.data.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each of a model's computed features was defined when it was trained (the SQL its features
 * task recorded), kept in {@code model.json} as {@code feature_definitions}, so that scoring
 * refuses input whose features of the same name were computed another way: a 20-row moving average
 * scored by a model trained on a 5-row one predicts nonsense without any error (training/serving
 * skew). Columns the model reads as they are (no features task made them) have no definition.
 */
final class FeatureDefinitions {
  static final String KEY = "feature_definitions";

  private FeatureDefinitions() {}

  /**
   * The definitions of {@code features} among those the input's metadata lists (a features or label
   * task's {@code features}), by feature name, in the model's order.
   */
  static Map<String, String> of(Map<String, Object> inputMetadata, List<String> features) {
    Map<String, String> known = listed(inputMetadata);
    Map<String, String> out = new LinkedHashMap<>();
    for (String f : features) {
      if (known.containsKey(f)) {
        out.put(f, known.get(f));
      }
    }
    return out;
  }

  /**
   * Fails when a feature the model was trained on was defined otherwise in {@code input} (or is not
   * among the features it lists); warns when the input lists no features, so nothing can be
   * checked.
   */
  static void check(Map<String, Object> modelJson, Path input, TaskLog log) {
    if (!(modelJson.get(KEY) instanceof Map<?, ?> trained) || trained.isEmpty()) {
      return; // the model reads raw columns only, or was trained before definitions were kept
    }
    Map<String, String> scoring = listed(Dataset.metadataWith(input, "features"));
    if (scoring.isEmpty()) {
      log.warn(
          "cannot check that the features were computed as for training: "
              + input
              + " has no features task's metadata (feature_metadata.json); the model expects "
              + describe(trained));
      return;
    }
    List<String> problems = new ArrayList<>();
    trained.forEach(
        (name, sql) -> {
          String now = scoring.get(String.valueOf(name));
          if (now == null) {
            problems.add("'" + name + "' is not among the features computed for " + input);
          } else if (!now.equals(sql)) {
            problems.add("'" + name + "' was trained as " + sql + " but is computed as " + now);
          }
        });
    if (!problems.isEmpty()) {
      throw TaskFailure.nonRetryable(
          "the features differ from those the model was trained on: "
              + String.join("; ", problems)
              + ". Score with features computed by the same features config as for training");
    }
  }

  private static String describe(Map<?, ?> definitions) {
    List<String> parts = new ArrayList<>();
    definitions.forEach((name, sql) -> parts.add(name + " = " + sql));
    return String.join("; ", parts);
  }

  /** The features a metadata file lists (name and SQL), by name. */
  private static Map<String, String> listed(Map<String, Object> metadata) {
    Map<String, String> out = new LinkedHashMap<>();
    if (metadata.get("features") instanceof List<?> list) {
      for (Object f : list) {
        if (f instanceof Map<?, ?> m && m.get("name") != null && m.get("sql") != null) {
          out.put(String.valueOf(m.get("name")), String.valueOf(m.get("sql")));
        }
      }
    }
    return out;
  }
}
