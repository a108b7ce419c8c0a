package io.alphaflow.quant.models;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.DidYouMean;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Configs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric thresholds: {@code {r2: {min: 0.1}, rmse: {max: 0.05}}}, or {@code {roc_auc: 0.55}} for a
 * minimum. {@code min_vs_champion} / {@code max_vs_champion} compare with the current champion's
 * value (e.g. {@code roc_auc: {min_vs_champion: -0.01}}: at most 0.01 worse).
 */
record Gate(String metric, Double min, Double max, Double minVsChampion, Double maxVsChampion) {
  static List<Gate> parse(Object config) {
    List<Gate> out = new ArrayList<>();
    if (!(config instanceof Map<?, ?> m)) {
      return out;
    }
    m.forEach(
        (k, v) -> {
          String metric = String.valueOf(k);
          if (v instanceof Map<?, ?> b) {
            out.add(
                new Gate(
                    metric,
                    bound(metric, "min", b.get("min")),
                    bound(metric, "max", b.get("max")),
                    bound(metric, "min_vs_champion", b.get("min_vs_champion")),
                    bound(metric, "max_vs_champion", b.get("max_vs_champion"))));
          } else {
            out.add(new Gate(metric, bound(metric, "min", v), null, null, null));
          }
        });
    return out;
  }

  static List<ConfigProblem> problems(Object config, String key) {
    List<ConfigProblem> out = new ArrayList<>();
    if (config == null) {
      return out;
    }
    if (!(config instanceof Map<?, ?> m)) {
      out.add(
          new ConfigProblem(
              key, key + " must map metric names to thresholds", key + ": {r2: {min: 0.1}}"));
      return out;
    }
    m.forEach(
        (k, v) -> {
          if (!Metrics.GATEABLE.contains(String.valueOf(k))) {
            // found when the flow loads, not after the model it gates has been trained
            out.add(
                new ConfigProblem(
                    key + "." + k,
                    "unknown metric '" + k + "'",
                    DidYouMean.hint(String.valueOf(k), Metrics.GATEABLE)));
          }
          if (v instanceof Map<?, ?> b) {
            b.forEach(
                (bound, value) -> {
                  if (!List.of("min", "max", "min_vs_champion", "max_vs_champion")
                      .contains(bound)) {
                    out.add(
                        new ConfigProblem(
                            key + "." + k,
                            "unknown bound '" + bound + "'",
                            "use min, max, min_vs_champion or max_vs_champion"));
                  } else if (Configs.numberOrNull(value) == null && !Configs.resolvesLater(value)) {
                    // a bound that is not a number would be no bound at all
                    out.add(
                        new ConfigProblem(
                            key + "." + k + "." + bound,
                            notANumber(String.valueOf(k), String.valueOf(bound), value),
                            key + ": {" + k + ": {" + bound + ": 0.1}}"));
                  } else {
                    out.addAll(
                        outOfRange(
                            key + "." + k + "." + bound, k, bound, Configs.numberOrNull(value)));
                  }
                });
          } else if (Configs.numberOrNull(v) == null && !Configs.resolvesLater(v)) {
            out.add(
                new ConfigProblem(
                    key + "." + k, "threshold must be a number, was '" + v + "'", null));
          } else {
            out.addAll(outOfRange(key + "." + k, k, "min", Configs.numberOrNull(v)));
          }
        });
    return out;
  }

  /**
   * A problem when an absolute bound lies past every value {@code metric} can take ({@link
   * Metrics#RANGES}): then no model passes (r2 min 20, most likely 20% meant as 0.2). Nothing for a
   * template (checked once it resolves) or a bound relative to the champion.
   */
  private static List<ConfigProblem> outOfRange(
      String at, Object metric, Object bound, Double value) {
    double[] range = Metrics.RANGES.get(String.valueOf(metric));
    if (value == null || range == null) {
      return List.of();
    }
    boolean min = "min".equals(bound);
    boolean max = "max".equals(bound);
    if (!(min && value > range[1]) && !(max && value < range[0])) {
      return List.of();
    }
    return List.of(
        new ConfigProblem(
            at,
            "no model can pass: "
                + metric
                + (min ? " is at most " + plain(range[1]) : " is at least " + plain(range[0]))
                + ", and the gate asks for at "
                + (min ? "least " : "most ")
                + plain(value),
            range[1] == 1 && value > 1
                ? "a share is a fraction: " + plain(value / 100) + " for " + plain(value) + "%"
                : null));
  }

  /** {@code d} as written in a flow: 1, 0.2, 20. */
  static String plain(double d) {
    return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** What breaches this gate, or null: "r2 0.031 is below the minimum 0.1". */
  String breach(Map<String, Object> metrics, Map<String, Object> champion) {
    Object v = metrics.get(metric);
    if (v == null && metrics.containsKey(metric)) {
      // reported, without a value: NaN has no JSON
      return metric
          + " has no value on these rows (undefined: the evaluate log says why), so the gate"
          + " cannot pass it";
    }
    if (!(v instanceof Number n)) {
      return metric
          + " is missing from the metrics (known: "
          + String.join(", ", metrics.keySet())
          + ")";
    }
    double value = n.doubleValue();
    if (min != null && value < min) {
      return metric + " " + fmt(value) + " is below the minimum " + fmt(min);
    }
    if (max != null && value > max) {
      return metric + " " + fmt(value) + " is above the maximum " + fmt(max);
    }
    Object c = champion == null ? null : champion.get(metric);
    if (c instanceof Number cn) {
      double cv = cn.doubleValue();
      if (minVsChampion != null && value < cv + minVsChampion) {
        return metric
            + " "
            + fmt(value)
            + " is below the champion's "
            + fmt(cv)
            + " "
            + signed(minVsChampion);
      }
      if (maxVsChampion != null && value > cv + maxVsChampion) {
        return metric
            + " "
            + fmt(value)
            + " is above the champion's "
            + fmt(cv)
            + " "
            + signed(maxVsChampion);
      }
    }
    return null;
  }

  /**
   * Whether this gate compares with the champion ({@code min_vs_champion}, {@code
   * max_vs_champion}).
   */
  boolean relative() {
    return minVsChampion != null || maxVsChampion != null;
  }

  /** Whether this gate has bounds of its own ({@code min}, {@code max}). */
  boolean absolute() {
    return min != null || max != null;
  }

  /** This gate's absolute bounds alone. */
  Gate absolutePart() {
    return new Gate(metric, min, max, null, null);
  }

  /** This gate's bounds relative to the champion alone. */
  Gate relativePart() {
    return new Gate(metric, null, null, minVsChampion, maxVsChampion);
  }

  Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("metric", metric);
    out.put("min", min);
    out.put("max", max);
    out.put("min_vs_champion", minVsChampion);
    out.put("max_vs_champion", maxVsChampion);
    out.values().removeIf(java.util.Objects::isNull);
    return out;
  }

  private static String signed(double d) {
    return (d >= 0 ? "+ " : "- ") + fmt(Math.abs(d));
  }

  static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.4g", d);
  }

  /**
   * A bound as resolved (a ${...} value is checked only now): one that is not a number fails the
   * task rather than gate nothing.
   */
  private static Double bound(String metric, String name, Object v) {
    Double d = Configs.numberOrNull(v);
    if (v != null && d == null) {
      throw TaskFailure.nonRetryable("gate " + notANumber(metric, name, v));
    }
    return d;
  }

  /** What the flow check and the resolved gate both say of a bound that is not a number. */
  private static String notANumber(String metric, String bound, Object value) {
    return metric + "'s " + bound + " must be a number, was '" + value + "'";
  }
}
