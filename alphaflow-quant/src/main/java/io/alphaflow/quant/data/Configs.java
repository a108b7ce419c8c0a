package io.alphaflow.quant.data;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.Templates;
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

  /** {@code v} read as a number; null when it is absent or none (for the checks that say why). */
  public static Double numberOrNull(Object v) {
    if (v == null) {
      return null;
    }
    try {
      return Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public static double number(Map<String, Object> config, String key, double fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    Double d = numberOrNull(v);
    if (d == null) {
      throw TaskFailure.nonRetryable("'" + key + "' must be a number, was '" + v + "'");
    }
    return d;
  }

  /**
   * Whether a config value holds a ${...} reference (a param, an upstream output): then it is
   * checked once it resolves, not when the flow loads. {@code $${...}} is a literal, not one.
   */
  public static boolean resolvesLater(Object value) {
    return value != null && Templates.containsReference(String.valueOf(value));
  }

  /**
   * The problem with {@code value} at {@code field} when it is none of {@code allowed} ("unknown
   * {@code what} 'x'"), or nothing; a template is checked once it resolves.
   */
  public static List<ConfigProblem> oneOf(
      String field, String what, Object value, List<String> allowed, String hint) {
    return value == null || resolvesLater(value) || allowed.contains(String.valueOf(value))
        ? List.of()
        : List.of(new ConfigProblem(field, "unknown " + what + " '" + value + "'", hint));
  }

  /**
   * {@code v} as a flag: true or false, written so or given as that text by a template; null when
   * it is neither.
   */
  public static Boolean flag(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    String text = String.valueOf(v);
    return text.equals("true") ? Boolean.TRUE : text.equals("false") ? Boolean.FALSE : null;
  }

  /** {@code key} as a flag, {@code fallback} when absent; anything else fails the task. */
  public static boolean flag(Map<?, ?> config, String key, boolean fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    Boolean b = flag(v);
    if (b == null) {
      throw TaskFailure.nonRetryable(flagMessage(key, v));
    }
    return b;
  }

  /**
   * The problem with {@code value} as a flag at {@code field}, or nothing; a template is checked
   * once it resolves.
   */
  public static List<ConfigProblem> flagProblem(String field, Object value) {
    if (value == null || resolvesLater(value) || flag(value) != null) {
      return List.of();
    }
    String key = field.substring(field.lastIndexOf('.') + 1);
    return List.of(new ConfigProblem(field, flagMessage(key, value), key + ": true"));
  }

  private static String flagMessage(String key, Object value) {
    return key + " is true or false, was '" + value + "'";
  }

  /**
   * A share between 0 and 1 (a rate limit such as {@code max_bad_row_rate}); a value outside it
   * fails, since {@code 5} meant as 5% would be a limit no data ever passes.
   */
  public static double fraction(Map<String, Object> config, String key, double fallback) {
    double d = number(config, key, fallback);
    if (!(d >= 0 && d <= 1)) {
      throw TaskFailure.nonRetryable(fractionMessage(key, config.get(key)));
    }
    return d;
  }

  /**
   * The problem with {@code value} as the share at {@code field} (a key, or a dotted path such as
   * {@code columns.volume.max_null_rate}) when the flow is loaded, or nothing; a template is
   * checked once it is resolved.
   */
  public static List<ConfigProblem> fractionProblem(String field, Object value) {
    if (value == null || resolvesLater(value)) {
      return List.of();
    }
    try {
      double d = Double.parseDouble(String.valueOf(value));
      if (d >= 0 && d <= 1) {
        return List.of();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    String key = field.substring(field.lastIndexOf('.') + 1);
    return List.of(new ConfigProblem(field, fractionMessage(field, value), key + ": 0.01 (1%)"));
  }

  /** Why {@code value} is no share at {@code key}: {@link #fraction}'s and the flow check's. */
  public static String fractionMessage(String key, Object value) {
    return "'" + key + "' must be a fraction between 0 and 1 (0.05 is 5%), was '" + value + "'";
  }

  /**
   * A problem when {@code key} is given as something other than a whole number (a ${...} value is
   * checked when it resolves), none otherwise.
   */
  public static List<ConfigProblem> wholeNumber(
      Map<String, Object> config, String key, String example) {
    Object v = config.get(key);
    return v == null || resolvesLater(v) || whole(v) != null
        ? List.of()
        : List.of(new ConfigProblem(key, wholeNumberMessage(key, v), example));
  }

  public static long integer(Map<String, Object> config, String key, long fallback) {
    Object v = config.get(key);
    if (v == null) {
      return fallback;
    }
    Long n = whole(v);
    if (n == null) {
      throw TaskFailure.nonRetryable(wholeNumberMessage(key, v));
    }
    return n;
  }

  /**
   * The problem with {@code value} as a whole number from {@code min} to {@code max} at {@code
   * field} (a key, or a dotted path such as {@code drift.bins}) when the flow is loaded, or
   * nothing; a template is checked once it resolves ({@link #integerIn}).
   */
  public static List<ConfigProblem> integerInProblem(
      String field, Object value, long min, long max, String example) {
    if (value == null || resolvesLater(value)) {
      return List.of();
    }
    Long n = whole(value);
    return n != null && n >= min && n <= max
        ? List.of()
        : List.of(new ConfigProblem(field, rangeMessage(field, value, min, max), example));
  }

  /**
   * {@code key} as a whole number from {@code min} to {@code max}, {@code fallback} when absent;
   * anything else fails the task (a value the flow gave through a template, checked now).
   */
  public static long integerIn(
      Map<String, Object> config, String key, long min, long max, long fallback) {
    long n = integer(config, key, fallback);
    if (n < min || n > max) {
      throw TaskFailure.nonRetryable(rangeMessage(key, config.get(key), min, max));
    }
    return n;
  }

  private static String rangeMessage(String field, Object value, long min, long max) {
    String key = field.substring(field.lastIndexOf('.') + 1);
    String range = max >= Integer.MAX_VALUE ? min + " or more" : "from " + min + " to " + max;
    return key + " must be a whole number " + range + ", was " + value;
  }

  /** {@code v} as a whole number ({@code 1_000} too), or null when it is not one. */
  public static Long whole(Object v) {
    try {
      return Long.parseLong(String.valueOf(v).replace("_", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String wholeNumberMessage(String key, Object value) {
    return "'" + key + "' must be a whole number, was '" + value + "'";
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(Map<String, Object> config, String key) {
    Object v = config.get(key);
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /**
   * A problem for each key of the mapping {@code map} at {@code field} that is not {@code known},
   * with the closest known one: a misspelt key would otherwise leave its default in place.
   */
  public static List<ConfigProblem> unknownKeys(
      String field, Map<?, ?> map, java.util.Collection<String> known) {
    return ConfigProblem.unknownKeys(field + ".", field + " takes no", map, known);
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
