package io.alphaflow.quant.models;

import io.alphaflow.quant.data.Duck;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The forecasts that need no model, known when the predictions were made, and how evaluate's
 * predictions fare against them: each fold's training-window mean target ({@code oos_r2}) or
 * majority class ({@code baseline_accuracy}, {@code accuracy_over_baseline}), and for a value label
 * "no change" ({@code r2_vs_persistence}).
 */
final class Benchmarks {
  static final String R2_VS_PERSISTENCE = "r2_vs_persistence";

  /** The predictions' column of the no-change forecast, as train writes it. */
  static final String UNCHANGED = "unchanged";

  private Benchmarks() {}

  /** Each fold's {@code key} in model.json, by fold number; null when a fold lacks it. */
  private static Map<Object, Double> perFold(Map<String, Object> model, String key) {
    if (!(model.get("folds") instanceof List<?> folds)) {
      return null;
    }
    Map<Object, Double> out = new LinkedHashMap<>();
    for (Object f : folds) {
      if (!(f instanceof Map<?, ?> m) || !(m.get(key) instanceof Number n)) {
        return null; // trained before train recorded it
      }
      out.put(m.get("fold"), n.doubleValue());
    }
    return out;
  }

  /**
   * R² against the no-change forecast: 1 - the model's squared errors over those of forecasting the
   * column's current value ({@code unchanged}, which train writes beside a value label's
   * predictions from the row's own input row, so rows it left out between two predictions shift
   * nothing), on the rows that have one. Near 1 for a price level, r2 says little (tomorrow's close
   * is mostly today's); this is positive only when the model beats "no change".
   */
  private static String vsPersistence(String where) {
    return "SELECT 1 - sum((actual - prediction) ^ 2) / nullif(sum((actual - unchanged) ^ 2), 0)"
        + " AS r FROM p WHERE isfinite(unchanged) AND "
        + where;
  }

  /**
   * The benchmarks known when the predictions were made, into the overall metrics and each fold's:
   * {@link #baseline} (oos_r2, or baseline_accuracy and accuracy_over_baseline) and, where {@code
   * p} has a value label's {@code unchanged}, {@link #vsPersistence}. Each is one query on one
   * thread (the same bits every run), all of them side by side.
   */
  static void add(
      Connection db,
      Map<String, Object> model,
      boolean classification,
      Map<String, Object> overall,
      List<Map<String, Object>> folds)
      throws SQLException {
    Map<Object, Double> perFold =
        perFold(
            model, classification ? TrainTask.TRAIN_POSITIVE_RATE : TrainTask.TRAIN_TARGET_MEAN);
    boolean persisted = !classification && Metrics.scoresChanges(db);
    // overall, and each fold of several (one fold, a holdout, holds every prediction)
    List<List<Map<String, Object>>> scopes = new ArrayList<>();
    List<String> wheres = new ArrayList<>();
    scopes.add(folds.size() == 1 ? List.of(overall, folds.getFirst()) : List.of(overall));
    wheres.add("TRUE");
    for (Map<String, Object> f : folds.size() == 1 ? List.<Map<String, Object>>of() : folds) {
      scopes.add(List.of(f));
      wheres.add("fold = " + f.get("fold"));
    }
    List<String> queries = new ArrayList<>();
    for (String where : wheres) {
      if (perFold != null) {
        queries.add(baseline(where, perFold, classification));
      }
      if (persisted) {
        queries.add(vsPersistence(where));
      }
    }
    Iterator<List<Map<String, Object>>> results = Duck.parallel(db, queries).iterator();
    for (List<Map<String, Object>> targets : scopes) {
      if (perFold != null) {
        Double v = number(results.next());
        for (Map<String, Object> t : targets) {
          put(
              t,
              classification ? "accuracy" : "r2",
              classification ? "baseline_accuracy" : "oos_r2",
              v);
          if (classification) {
            overBaseline(t);
          }
        }
      }
      if (persisted) {
        Double v = number(results.next());
        for (Map<String, Object> t : targets) {
          put(t, t.containsKey("oos_r2") ? "oos_r2" : "r2", R2_VS_PERSISTENCE, v);
        }
      }
    }
  }

  /** The figure {@code r} of a benchmark query's one row, or null. */
  private static Double number(List<Map<String, Object>> rows) {
    return !rows.isEmpty() && rows.getFirst().get("r") instanceof Number n ? n.doubleValue() : null;
  }

  /**
   * How the predictions fare against the guess that needs no model, known when they were made: each
   * fold's training window. For regression the out-of-sample R² against its mean target (Campbell
   * and Thompson's, for returns: r2 measures against the test window's own mean, which nobody knew
   * then, and this one is positive only when the model beats the historical mean); for
   * classification the accuracy of always answering its majority class. One thread: the same bits
   * every run.
   */
  private static String baseline(
      String where, Map<Object, Double> perFold, boolean classification) {
    StringBuilder guess = new StringBuilder("CASE fold");
    perFold.forEach(
        (fold, v) ->
            guess
                .append(" WHEN ")
                .append(fold)
                .append(" THEN ")
                .append(classification ? (v >= 0.5 ? "1" : "0") : Double.toString(v)));
    guess.append(" END");
    return classification
        ? "SELECT avg(CAST(actual = " + guess + " AS DOUBLE)) AS r FROM p WHERE " + where
        : "SELECT 1 - sum((actual - prediction) ^ 2) / nullif(sum((actual - "
            + guess
            + ") ^ 2), 0) AS r FROM p WHERE "
            + where;
  }

  /**
   * {@code accuracy_over_baseline}, after the baseline: what the model adds to always answering the
   * training window's majority class. A gate's {@code {min: 0}} refuses a model that calls
   * directions no better than that, whatever the market's drift in the window.
   */
  private static void overBaseline(Map<String, Object> m) {
    if (m.get("accuracy") instanceof Number a && m.get("baseline_accuracy") instanceof Number b) {
      put(m, "baseline_accuracy", "accuracy_over_baseline", a.doubleValue() - b.doubleValue());
    }
  }

  /** {@code name} into {@code metrics}, right after {@code after}. */
  private static void put(Map<String, Object> metrics, String after, String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(metrics);
    metrics.clear();
    copy.forEach(
        (k, v) -> {
          metrics.put(k, v);
          if (k.equals(after)) {
            metrics.put(name, value);
          }
        });
  }
}
