package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * How far each of a model's features moved between a fold's training window and its test window:
 * the population stability index (PSI) over the training window's quantile bins. A feature whose
 * test rows fall into the bins in the shares its training rows did scores 0; below 0.1 counts as
 * stable, 0.1 to 0.25 as a moderate shift and above 0.25 as a significant one (the usual rule of
 * thumb in credit and factor models). A model trained on one regime and tested on another shows it
 * here before its metrics are trusted (seed 002's "Evaluate &amp; Drift Checks").
 *
 * <p>The rows are those of the data the model was trained on (a label task's output, read beside
 * its features), in the windows {@code model.json} records per fold; windows of more than {@link
 * #SAMPLE} rows are read by a sample of about that many, chosen by the hash of each row's time.
 * Bins come from exact quantiles of the (sampled) training rows ({@code quantile_disc}) and the
 * counts are whole numbers, so the figures are the same every run.
 */
final class Drift {
  static final int DEFAULT_BINS = 10;

  /** Rows a fold's two windows are read by, about, when they hold more. */
  static final long SAMPLE = 250_000;

  /** Shares below this count as this, so that an empty bin does not make the index infinite. */
  private static final double FLOOR = 1e-4;

  private Drift() {}

  /**
   * Per fold and feature, the PSI; per feature the largest over the folds; and their maximum
   * ({@code max_psi}). The target's, the same way, beside them ({@code target_psi}): a model's
   * labels can leave their training regime while its features stay.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> of(Connection db, Path data, Map<String, Object> model, int bins)
      throws SQLException {
    if (bins < 2 || bins > 100) {
      throw TaskFailure.nonRetryable("drift.bins must be from 2 to 100, was " + bins);
    }
    Path file = Dataset.resolve(data.toString());
    if (!Files.exists(file)) {
      throw TaskFailure.nonRetryable(
          "drift.data "
              + data
              + " does not exist: name the data the model was trained on, e.g. drift: {data:"
              + " ${tasks.label.output_dir}}");
    }
    List<String> features = (List<String>) model.get("features");
    String time = String.valueOf(model.get("time_column"));
    String target = (String) model.get("target");
    Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + Dataset.scan(file));
    List<String> needed = new ArrayList<>(features);
    needed.add(time);
    // the target's drift too (a regime the labels left), reported beside the features' maximum
    List<String> measured = new ArrayList<>(features);
    if (target != null && columns.containsKey(target) && !features.contains(target)) {
      measured.add(target);
    }
    for (String c : needed) {
      if (!columns.containsKey(c)) {
        throw TaskFailure.nonRetryable(
            "drift.data "
                + data
                + " has no column '"
                + c
                + "' the model was trained with: name the data train read (columns: "
                + String.join(", ", columns.keySet())
                + ")");
      }
    }
    StringBuilder select = new StringBuilder();
    for (int i = 0; i < measured.size(); i++) {
      select.append("CAST(").append(Sql.ident(measured.get(i))).append(" AS DOUBLE) AS x" + i);
      select.append(", ");
    }
    Sql.exec(
        db,
        "CREATE OR REPLACE TEMP VIEW drift_src AS SELECT "
            + select
            + "CAST("
            + Sql.ident(time)
            + " AS TIMESTAMP) AS __t FROM "
            + Dataset.scan(file));
    List<Map<String, Object>> perFold = new ArrayList<>();
    Map<String, Double> largest = new LinkedHashMap<>();
    Double targetLargest = null;
    for (Map<String, Object> fold : (List<Map<String, Object>>) model.get("folds")) {
      if (!(fold.get("train") instanceof Map<?, ?> train)
          || !(fold.get("test") instanceof Map<?, ?> test)
          || train.get("from") == null
          || test.get("from") == null) {
        continue; // a window without rows
      }
      long rows = number(fold.get("train_rows")) + number(fold.get("test_rows"));
      Map<String, Double> psi =
          fold(
              db,
              measured.size(),
              ModelFiles.inWindow("__t", train),
              ModelFiles.inWindow("__t", test),
              sampleEvery(rows),
              bins);
      Map<String, Double> named = new LinkedHashMap<>();
      for (int i = 0; i < features.size(); i++) {
        Double v = psi.get("x" + i);
        named.put(features.get(i), v);
        if (v != null) {
          largest.merge(features.get(i), v, Math::max);
        }
      }
      Double targetPsi = measured.size() > features.size() ? psi.get("x" + features.size()) : null;
      if (targetPsi != null) {
        targetLargest = targetLargest == null ? targetPsi : Math.max(targetLargest, targetPsi);
      }
      perFold.add(Json.ordered("fold", fold.get("fold"), "psi", named, "target_psi", targetPsi));
    }
    String worst = null;
    for (Map.Entry<String, Double> e : largest.entrySet()) {
      if (worst == null || e.getValue() > largest.get(worst)) {
        worst = e.getKey();
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", "psi");
    out.put("bins", bins);
    out.put("folds", perFold);
    out.put("psi", largest);
    out.put("max_psi", worst == null ? null : largest.get(worst));
    out.put("max_psi_feature", worst);
    out.put("target", target);
    out.put("target_psi", targetLargest);
    return out;
  }

  /**
   * One row in how many a fold's windows are read by (1: every row): about {@link #SAMPLE} rows. A
   * decile's share is then known to a tenth of a percent, and 10M rows take one scan, not seconds
   * of comparisons.
   */
  static long sampleEvery(long rows) {
    return Math.max(1, Math.ceilDiv(rows, SAMPLE));
  }

  private static long number(Object o) {
    return o instanceof Number n ? n.longValue() : 0;
  }

  /**
   * Each feature's PSI (by its column x0, x1, ...), test window against training window, over every
   * {@code every}-th row by the hash of its time: the same rows every run, whatever the threads.
   */
  private static Map<String, Double> fold(
      Connection db, int features, String inTrain, String inTest, long every, int bins)
      throws SQLException {
    StringBuilder xs = new StringBuilder();
    for (int i = 0; i < features; i++) {
      xs.append(", x").append(i);
    }
    Sql.exec(
        db,
        "CREATE OR REPLACE TEMP TABLE drift_rows AS SELECT "
            + inTrain
            + " AS train"
            + xs
            + " FROM drift_src WHERE (("
            + inTrain
            + ") OR ("
            + inTest
            + "))"
            + (every > 1 ? " AND hash(__t) % " + every + " = 0" : ""));
    List<TreeSet<Double>> cuts = cutPoints(db, features, bins);
    // a value's bin is how many cut points it lies above: 0 .. cuts
    List<String> binOf = new ArrayList<>();
    for (int i = 0; i < features; i++) {
      StringBuilder bin = new StringBuilder("CASE WHEN isfinite(x" + i + ") THEN 0");
      for (double c : cuts.get(i)) {
        bin.append(" + (x").append(i).append(" > ").append(literal(c)).append(")::INTEGER");
      }
      binOf.add(bin.append(" END").toString());
    }
    Map<Integer, long[][]> counts = binCounts(db, binOf, bins);
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < features; i++) {
      out.put("x" + i, psi(counts.get(i)));
    }
    return out;
  }

  /**
   * Each feature's cut points: the training rows' quantiles at 1/bins, 2/bins, ... (distinct: a
   * value many rows hold is one cut point).
   */
  private static List<TreeSet<Double>> cutPoints(Connection db, int features, int bins)
      throws SQLException {
    StringBuilder quantiles = new StringBuilder();
    StringBuilder at = new StringBuilder("[");
    for (int b = 1; b < bins; b++) {
      at.append(b == 1 ? "" : ", ").append((double) b / bins);
    }
    at.append("]");
    for (int i = 0; i < features; i++) {
      quantiles.append(i == 0 ? "" : ", ");
      quantiles.append("quantile_disc(x").append(i).append(", ").append(at);
      quantiles.append(") FILTER (WHERE isfinite(x").append(i).append(")) AS q").append(i);
    }
    StringBuilder unnest = new StringBuilder();
    for (int i = 0; i < features; i++) {
      unnest.append(i == 0 ? "" : ", ").append("unnest(q").append(i).append(") AS c").append(i);
    }
    List<TreeSet<Double>> cuts = new ArrayList<>();
    for (int i = 0; i < features; i++) {
      cuts.add(new TreeSet<>());
    }
    for (Map<String, Object> r :
        Sql.rows(
            db,
            "SELECT " + unnest + " FROM (SELECT " + quantiles + " FROM drift_rows WHERE train)")) {
      for (int i = 0; i < features; i++) {
        if (r.get("c" + i) instanceof Number n) {
          cuts.get(i).add(n.doubleValue());
        }
      }
    }
    return cuts;
  }

  /** Rows per feature (by index), side ([train, test]) and bin, from the bin expressions. */
  private static Map<Integer, long[][]> binCounts(Connection db, List<String> binOf, int bins)
      throws SQLException {
    List<String> indexes = new ArrayList<>();
    for (int i = 0; i < binOf.size(); i++) {
      indexes.add(Integer.toString(i));
    }
    Map<Integer, long[][]> counts = new LinkedHashMap<>(); // feature -> [train, test][bin]
    for (Map<String, Object> r :
        Sql.rows(
            db,
            "SELECT train, i, b, count(*) AS n FROM (SELECT train, unnest(["
                + String.join(", ", indexes)
                + "]) AS i, unnest(["
                + String.join(", ", binOf)
                + "]) AS b FROM drift_rows) WHERE b IS NOT NULL GROUP BY ALL ORDER BY ALL")) {
      int i = ((Number) r.get("i")).intValue();
      int side = Boolean.TRUE.equals(r.get("train")) ? 0 : 1;
      long[][] c = counts.computeIfAbsent(i, k -> new long[2][bins + 1]);
      c[side][((Number) r.get("b")).intValue()] += ((Number) r.get("n")).longValue();
    }
    return counts;
  }

  /** The index of {@code counts} ([train, test][bin]), or null without rows on either side. */
  static Double psi(long[][] counts) {
    if (counts == null) {
      return null;
    }
    long expected = 0;
    long actual = 0;
    for (int b = 0; b < counts[0].length; b++) {
      expected += counts[0][b];
      actual += counts[1][b];
    }
    if (expected == 0 || actual == 0) {
      return null;
    }
    double sum = 0;
    for (int b = 0; b < counts[0].length; b++) {
      double e = Math.max((double) counts[0][b] / expected, FLOOR);
      double a = Math.max((double) counts[1][b] / actual, FLOOR);
      sum += (a - e) * StrictMath.log(a / e);
    }
    return sum;
  }

  /** A cut point as SQL: the double's shortest exact form. */
  private static String literal(double c) {
    return "CAST('" + Double.toString(c).toLowerCase(Locale.ROOT) + "' AS DOUBLE)";
  }

  /** {@code drift_report.md}: each feature's PSI per fold, its largest, and what that means. */
  @SuppressWarnings("unchecked")
  static String report(Map<String, Object> drift) {
    List<Map<String, Object>> folds = (List<Map<String, Object>>) drift.get("folds");
    Map<String, Double> largest = (Map<String, Double>) drift.get("psi");
    StringBuilder md =
        new StringBuilder("# Drift: each fold's test window against its training window\n\n");
    md.append("Population stability index (PSI) of each feature over ")
        .append(drift.get("bins"))
        .append(" quantile bins of the training window. Below 0.1: stable; 0.1 to 0.25: a moderate")
        .append(
            " shift; above 0.25: a significant shift, the model meets data unlike what it learnt")
        .append(" from.\n\n| feature |");
    for (Map<String, Object> f : folds) {
      md.append(" fold ").append(f.get("fold")).append(" |");
    }
    md.append(" largest | verdict |\n|---|");
    md.append("---|".repeat(folds.size() + 2)).append('\n');
    for (Map.Entry<String, Double> e : largest.entrySet()) {
      md.append("| ").append(e.getKey()).append(" |");
      for (Map<String, Object> f : folds) {
        Object v = ((Map<String, Object>) f.get("psi")).get(e.getKey());
        md.append(' ').append(v instanceof Double d ? fmt(d) : "-").append(" |");
      }
      double v = e.getValue();
      md.append(' ').append(fmt(v)).append(" | ");
      md.append(verdict(v));
      md.append(" |\n");
    }
    if (drift.get("target_psi") instanceof Double t) {
      md.append("| ").append(drift.get("target")).append(" (target) |");
      for (Map<String, Object> f : folds) {
        Object v = f.get("target_psi");
        md.append(' ').append(v instanceof Double d ? fmt(d) : "-").append(" |");
      }
      md.append(' ').append(fmt(t)).append(" | ").append(verdict(t)).append(" |\n");
    }
    if (drift.get("max_psi_feature") != null) {
      md.append("\nLargest: ")
          .append(drift.get("max_psi_feature"))
          .append(", ")
          .append(fmt((Double) drift.get("max_psi")))
          .append(" (`max_psi`, which a gate may name; the target's is not part of it).\n");
    }
    return md.toString();
  }

  private static String verdict(double psi) {
    return psi < 0.1 ? "stable" : psi <= 0.25 ? "moderate shift" : "significant shift";
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.4f", d);
  }
}
