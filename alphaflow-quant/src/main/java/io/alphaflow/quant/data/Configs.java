package io.alphaflow.quant.data;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.TaskFailure;
import java.util.List;
import java.util.Map;

/** Typed reads of task config values, with messages that name the key and the bad value. */
public final class Configs {
  private Configs() {}

  public static String string(Map<String, Object> config, String key) {
    Object v = config.get(key);
    if (v == null || String.valueOf(v).isBlank()) {
      throw TaskFailure.nonRetryable("missing '" + key + "' in the task config");
    }
    return String.valueOf(v);
  }

  public static String string(Map<String, Object> config, String key, String fallback) {
    Object v = config.get(key);
    return v == null ? fallback : String.valueOf(v);
  }

  public static double number(Map<String, Object> config, String key, double fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw TaskFailure.nonRetryable("'" + key + "' must be a number, was '" + v + "'");
    }
  }

  public static long integer(Map<String, Object> config, String key, long fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(String.valueOf(v).replace("_", ""));
    } catch (NumberFormatException e) {
      throw TaskFailure.nonRetryable("'" + key + "' must be a whole number, was '" + v + "'");
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Map<String, Object> config, String key) {
    Object v = config.get(key);
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** A problem list holding one "missing key" problem, or nothing if {@code key} is set. */
  public static List<ConfigProblem> required(
      Map<String, Object> config, String key, String example) {
    return config.get(key) == null
        ? List.of(new ConfigProblem("", "missing '" + key + "'", "e.g. " + example))
        : List.of();
  }

  /**
   * Fails naming the first config key whose column is not among {@code columns}; {@code keyed}
   * alternates config key and column name (a null column is skipped).
   */
  public static void requireColumns(Map<String, String> columns, String where, String... keyed) {
    for (int i = 0; i + 1 < keyed.length; i += 2) {
      String column = keyed[i + 1];
      if (column != null && !columns.containsKey(column)) {
        throw TaskFailure.nonRetryable(
            keyed[i]
                + " '"
                + column
                + "' is not in "
                + where
                + " (columns: "
                + String.join(", ", columns.keySet())
                + ")");
      }
    }
  }
}
