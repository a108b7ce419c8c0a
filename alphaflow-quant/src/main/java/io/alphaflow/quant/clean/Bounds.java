package io.alphaflow.quant.clean;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.core.task.TaskLog;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code clean}'s {@code clip} (fixed bounds) and {@code winsorize} (quantiles): each row held
 * within its column's bounds. Winsorizing takes each row's quantiles from its own past, its
 * symbol's rows up to and including it, so a later value moves no earlier row's bounds; {@code
 * over: all} takes every row's, with a warning. A missing value and NaN stay as they are.
 */
final class Bounds {
  private Bounds() {}

  /** In {@code winsorize}: the rows a column's quantiles come from, {@code past} (the default). */
  private static final String OVER = "over";

  /** {@link #OVER}'s other value: every row, later ones too. */
  private static final String ALL_ROWS = "all";

  /** In {@code winsorize}: how many values the past must hold before its quantiles bound a row. */
  private static final String MIN_PERIODS = "min_periods";

  private static final long DEFAULT_MIN_PERIODS = 20;

  /** Problems with {@code clip}'s and {@code winsorize}'s settings when the flow loads. */
  static List<ConfigProblem> problems(Map<String, Object> config) {
    List<ConfigProblem> problems = new ArrayList<>();
    Configs.map(config, "clip")
        .forEach(
            (col, spec) -> {
              String at = "clip." + col;
              String example = "clip: {" + col + ": {min: 0, max: 100}}";
              if (!(spec instanceof Map<?, ?> m)
                  || (m.get("min") == null && m.get("max") == null)) {
                problems.add(
                    new ConfigProblem(
                        at, "clip maps a column to its min, max or both, was " + spec, example));
                return;
              }
              problems.addAll(Configs.unknownKeys(at, m, List.of("min", "max")));
              for (String bound : List.of("min", "max")) {
                Object v = m.get(bound);
                if (v != null && !Configs.resolvesLater(v) && Configs.numberOrNull(v) == null) {
                  problems.add(
                      new ConfigProblem(
                          at + "." + bound, bound + " must be a number, was '" + v + "'", example));
                }
              }
              Double min = Configs.numberOrNull(m.get("min"));
              Double max = Configs.numberOrNull(m.get("max"));
              if (min != null && max != null && min > max) {
                problems.add(
                    new ConfigProblem(at, "min (" + min + ") is above max (" + max + ")", example));
              }
            });
    Configs.map(config, "winsorize")
        .forEach(
            (col, spec) -> {
              String at = "winsorize." + col;
              if (!(spec instanceof Map<?, ?> m)) {
                problems.add(
                    new ConfigProblem(
                        at,
                        "winsorize maps a column to its quantiles, was " + spec,
                        "winsorize: {" + col + ": {lower: 0.01, upper: 0.99}}"));
                return;
              }
              problems.addAll(
                  Configs.unknownKeys(at, m, List.of("lower", "upper", OVER, MIN_PERIODS)));
              problems.addAll(Configs.fractionProblem(at + ".lower", m.get("lower")));
              problems.addAll(Configs.fractionProblem(at + ".upper", m.get("upper")));
              problems.addAll(
                  Configs.oneOf(
                      at + "." + OVER,
                      OVER,
                      m.get(OVER),
                      List.of("past", ALL_ROWS),
                      "over: past (each row's bounds from the rows up to it, the default) or"
                          + " all (from every row, later ones too: look-ahead in a backtest)"));
              Object minPeriods = m.get(MIN_PERIODS);
              if (minPeriods != null
                  && !Configs.resolvesLater(minPeriods)
                  && minPeriodsProblem(minPeriods) != null) {
                problems.add(
                    new ConfigProblem(
                        at + "." + MIN_PERIODS,
                        minPeriodsProblem(minPeriods),
                        MIN_PERIODS + ": 20"));
              }
            });
    return problems;
  }

  /**
   * Writes the temp table {@code t3}: {@code current}'s rows with the bounded columns held, and
   * returns its name; what was done goes to {@code steps}. {@code partition} and {@code order} give
   * the rows' window (per symbol, in time order; {@code symbol} null when there is none).
   */
  static String apply(
      Connection db,
      TaskLog log,
      Map<String, Object> cfg,
      Map<String, String> columns,
      String current,
      String partition,
      String order,
      String symbol,
      Map<String, Object> steps)
      throws SQLException {
    Map<String, Object> clip = Configs.map(cfg, "clip");
    Map<String, Object> winsor = Configs.map(cfg, "winsorize");
    for (String key : List.of("clip", "winsorize")) {
      for (String c : Configs.map(cfg, key).keySet()) {
        Configs.requireColumns(columns, "the input", key, c);
        if (!Sql.isNumber(columns.get(c))) {
          throw TaskFailure.nonRetryable(
              key
                  + " '"
                  + c
                  + "' is a "
                  + columns.get(c)
                  + " column: "
                  + key
                  + " bounds numbers (cast it in an earlier step, or leave it out)");
        }
      }
    }
    // each column's bounds as SQL over the row: constants, or the quantiles of the rows so far
    Map<String, String[]> bounds = new LinkedHashMap<>();
    clip.forEach((c, spec) -> bounds.put(c, fixedBounds(c, (Map<?, ?>) spec)));
    List<String> windows = new ArrayList<>();
    for (Map.Entry<String, Object> e : winsor.entrySet()) {
      String c = e.getKey();
      Map<?, ?> spec = (Map<?, ?>) e.getValue();
      double lo = quantile("winsorize." + c + ".lower", spec.get("lower"), 0.01);
      double hi = quantile("winsorize." + c + ".upper", spec.get("upper"), 0.99);
      if (lo >= hi) {
        throw TaskFailure.nonRetryable(
            "winsorize of '" + c + "': lower (" + lo + ") must be below upper (" + hi + ")");
      }
      String col = Sql.ident(c);
      String q = "quantile_cont(" + col + ", [" + lo + ", " + hi + "])";
      if (ALL_ROWS.equals(spec.get(OVER))) {
        Map<String, Object> whole = Sql.row(db, "SELECT " + q + " AS q FROM " + current);
        Object[] qs = (Object[]) ((java.sql.Array) whole.get("q")).getArray();
        bounds.put(c, new String[] {String.valueOf(qs[0]), String.valueOf(qs[1])});
        steps.put("winsorize_" + c, Json.ordered("over", "all rows", "lo", qs[0], "hi", qs[1]));
        log.warn(
            "winsorize of '"
                + c
                + "' over all rows: its bounds come from later rows too, so a model"
                + " trained on the earlier ones sees the later ones' distribution; the"
                + " default (over: past) uses each row's past only");
      } else {
        Object given = spec.get(MIN_PERIODS);
        if (given != null && minPeriodsProblem(given) != null) {
          throw TaskFailure.nonRetryable(minPeriodsProblem(given));
        }
        // a whole number now, however it was written (20, 20.0)
        long minPeriods =
            given == null ? DEFAULT_MIN_PERIODS : Configs.numberOrNull(given).longValue();
        String w =
            " OVER ("
                + partition
                + "ORDER BY "
                + order
                + " ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)";
        String n = Sql.ident("__n_" + c);
        String qc = Sql.ident("__q_" + c);
        windows.add(q + w + " AS " + qc + ", count(" + col + ")" + w + " AS " + n);
        bounds.put(
            c,
            new String[] {
              "CASE WHEN " + n + " >= " + minPeriods + " THEN " + qc + "[1] END",
              "CASE WHEN " + n + " >= " + minPeriods + " THEN " + qc + "[2] END"
            });
        steps.put(
            "winsorize_" + c,
            Json.ordered(
                "over",
                "past rows" + (symbol == null ? "" : " of the symbol"),
                "lower",
                lo,
                "upper",
                hi,
                MIN_PERIODS,
                minPeriods));
      }
    }
    String from =
        windows.isEmpty()
            ? current
            : "(SELECT *, " + String.join(", ", windows) + " FROM " + current + ")";
    List<String> exprs = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (String c : columns.keySet()) {
      String[] b = bounds.get(c);
      if (b == null) {
        exprs.add(Sql.ident(c));
      } else {
        String e = bounded(Sql.ident(c), columns.get(c), b[0], b[1]);
        exprs.add("CAST(" + e + " AS " + columns.get(c) + ") AS " + Sql.ident(c));
        changed.add(
            "count(*) FILTER (WHERE b."
                + Sql.ident(c)
                + " IS DISTINCT FROM a."
                + Sql.ident(c)
                + ") AS "
                + Sql.ident(c));
      }
    }
    Sql.exec(
        db, "CREATE TEMP TABLE t3 AS SELECT " + String.join(", ", exprs) + ", __row FROM " + from);
    // the values the bounds changed, as written
    Map<String, Object> counts =
        Sql.row(
            db,
            "SELECT "
                + String.join(", ", changed)
                + " FROM "
                + current
                + " a JOIN t3 b USING (__row)");
    steps.put("values_bounded", counts);
    return "t3";
  }

  /** Why {@code v} is no {@code min_periods}, or null when it is one. */
  private static String minPeriodsProblem(Object v) {
    Double d = Configs.numberOrNull(v);
    if (d != null && d >= 1 && d == Math.rint(d) && d <= Long.MAX_VALUE) {
      return null;
    }
    return "winsorize's min_periods (how many past values a row's bounds need) is a whole number"
        + " of 1 or more, was '"
        + v
        + "'";
  }

  /**
   * A clip's {@code min} and {@code max} as SQL numbers, null where not given; one that is no
   * number (a template resolved to text) fails the task.
   */
  private static String[] fixedBounds(String column, Map<?, ?> spec) {
    String[] out = new String[2];
    String[] names = {"min", "max"};
    for (int i = 0; i < 2; i++) {
      Object v = spec.get(names[i]);
      if (v != null) {
        Double d = Configs.numberOrNull(v);
        if (d == null) {
          throw TaskFailure.nonRetryable(
              "clip." + column + "." + names[i] + " must be a number, was '" + v + "'");
        }
        out[i] = String.valueOf(d);
      }
    }
    return out;
  }

  /**
   * {@code col} held within {@code lo} and {@code hi} (SQL, either null or evaluating to NULL for
   * no bound). A missing value stays missing and so does NaN for a floating-point column: DuckDB's
   * {@code greatest} and {@code least} would make both the bound.
   */
  static String bounded(String col, String type, String lo, String hi) {
    String notNan = Sql.isFloating(type) ? " AND NOT isnan(" + col + ")" : "";
    StringBuilder e = new StringBuilder("CASE");
    if (lo != null) {
      e.append(" WHEN ").append(col).append(" < ").append(lo).append(" THEN ").append(lo);
    }
    if (hi != null) {
      e.append(" WHEN ")
          .append(col)
          .append(" > ")
          .append(hi)
          .append(notNan)
          .append(" THEN ")
          .append(hi);
    }
    return e.append(" ELSE ").append(col).append(" END").toString();
  }

  /**
   * A winsorize quantile ({@code at} names it), {@code fallback} when not given; one that is no
   * fraction (a template resolved to text, say) fails the task, since a retry reads it the same.
   */
  private static double quantile(String at, Object v, double fallback) {
    if (v == null) {
      return fallback;
    }
    Double q = Configs.numberOrNull(v);
    if (q == null || q < 0 || q > 1) {
      throw TaskFailure.nonRetryable(Configs.fractionMessage(at, v));
    }
    return q;
  }
}
