package io.alphaflow.quant.models;

import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores out-of-sample predictions (the view {@code p}: actual, prediction, period, and the time
 * {@code __t} the period is cut from) in DuckDB: regression R², RMSE, MAE and the information
 * coefficient; classification accuracy, precision, recall, F1, ROC AUC, log loss and the confusion
 * matrix. Every sum of doubles runs on one thread ({@link Duck#parallel}) and the IC's mean and
 * spread are taken over the periods in time order, so the same predictions give the same bits run
 * after run (DuckDB adds partial sums from several threads in whichever order they finish); only
 * sums of whole numbers, exact in any order, use every thread.
 */
final class Metrics {
  /**
   * The numbers evaluate reports that a gate can compare: a regression's, then a classification's
   * (rows in both).
   */
  static final List<String> GATEABLE =
      List.of(
          "rows",
          "r2",
          "oos_r2",
          "r2_vs_persistence",
          "rmse",
          "mae",
          "hit_rate",
          "ic_periods",
          "ic_mean",
          "ic_tstat",
          "ic_tstat_nw",
          "rank_ic_mean",
          "rank_ic_tstat",
          "rank_ic_tstat_nw",
          "accuracy",
          "baseline_accuracy",
          "accuracy_over_baseline",
          "precision",
          "recall",
          "f1",
          "roc_auc",
          "log_loss",
          "max_psi",
          "spread_mean",
          "spread_tstat",
          "spread_tstat_nw");

  /**
   * The values a bounded metric can take, {lowest, highest}: a gate past them passes no model (or
   * every one), most often a percentage written for a fraction (r2 min 20 for 0.2).
   */
  static final Map<String, double[]> RANGES = ranges();

  private static Map<String, double[]> ranges() {
    Map<String, double[]> out = new LinkedHashMap<>();
    double inf = Double.POSITIVE_INFINITY;
    for (String m : List.of("r2", "oos_r2", "r2_vs_persistence")) {
      out.put(m, new double[] {-inf, 1});
    }
    for (String m :
        List.of(
            "hit_rate", "accuracy", "baseline_accuracy", "precision", "recall", "f1", "roc_auc")) {
      out.put(m, new double[] {0, 1});
    }
    for (String m : List.of("ic_mean", "rank_ic_mean", "accuracy_over_baseline")) {
      out.put(m, new double[] {-1, 1});
    }
    for (String m : List.of("rows", "ic_periods", "rmse", "mae", "log_loss", "max_psi")) {
      out.put(m, new double[] {0, inf});
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** Each period's IC (and rank IC, and rows), in period order: the series ic_mean summarizes. */
  static final String IC_BY_PERIOD = "ic_by_period";

  /** What the IC and the quantiles score for a value label; its hit rate, the direction of it. */
  static final String CHANGES = "change from the current value";

  static final String CHANGE_DIRECTION = "direction of " + CHANGES;

  /** What the IC and the quantiles score otherwise: the actual and predicted values themselves. */
  private static final String VALUES = "value";

  static final String HIT_RATE_BASIS = "hit_rate_basis";
  static final String IC_BASIS = "ic_basis";

  private Metrics() {}

  /**
   * Why {@code metric} of two models' stored metrics cannot be compared, or null when it can: the
   * hit rate, the IC and the quantiles' spread are measured on a basis (a level forecast's changes,
   * a return's sign, ...) that {@code hit_rate_basis} and {@code ic_basis} record, and a figure on
   * one basis says nothing about one on another. A model evaluated before {@code ic_basis} was
   * recorded had its IC on the values.
   */
  static String basisMismatch(
      String metric, Map<String, Object> candidate, Map<String, Object> champion) {
    String key =
        metric.equals("hit_rate")
            ? HIT_RATE_BASIS
            : metric.startsWith("ic_")
                    || metric.startsWith("rank_ic_")
                    || metric.startsWith("spread_")
                ? IC_BASIS
                : null;
    if (key == null) {
      return null;
    }
    String mine = basis(candidate, key);
    String theirs = basis(champion, key);
    return java.util.Objects.equals(mine, theirs)
        ? null
        : metric
            + " cannot be compared with the champion's: the candidate's is measured on "
            + (mine == null ? "an unrecorded basis" : "the " + mine)
            + ", the champion's on "
            + (theirs == null ? "an unrecorded basis" : "the " + theirs)
            + " ("
            + key
            + ")";
  }

  private static String basis(Map<String, Object> metrics, String key) {
    Object b = metrics.get(key);
    return b != null ? String.valueOf(b) : key.equals(IC_BASIS) ? VALUES : null;
  }

  /**
   * R², RMSE, MAE, hit rate (the share of rows whose direction the prediction called: for a value
   * label, the direction of change from the column's current value ({@code p}'s {@code unchanged});
   * else its sign, or for a target of one sign across all of {@code p} its side of the rows' mean
   * actual; {@code hit_rate_basis} says which) and the IC: Pearson and rank IC per period, their
   * mean and t-statistic (mean / std * sqrt(periods)), and the t-statistic again with the standard
   * error that {@code lags} periods of overlapping labels call for ({@link #overlapLags}). The
   * errors' sums and each run of periods' ICs come from queries side by side; the ICs' mean and
   * sample standard deviation are taken here, in period order.
   */
  static Map<String, Object> regression(Connection db, String where, int lags) throws SQLException {
    boolean changes = scoresChanges(db);
    List<String> queries = new ArrayList<>();
    queries.add(
        "SELECT count(*) AS n, 1 - sum((actual - prediction) ^ 2)"
            + " / nullif(sum((actual - a.m) ^ 2), 0) AS r2,"
            + " sqrt(avg((actual - prediction) ^ 2)) AS rmse, avg(abs(actual - prediction)) AS mae,"
            + " avg(CAST(sign(prediction) = sign(actual) AS DOUBLE)) AS hit_sign,"
            + " avg(CAST(sign(prediction - a.m) = sign(actual - a.m) AS DOUBLE)) AS hit_mean,"
            + (changes
                ? " avg(CAST(sign(prediction - unchanged) = sign(actual - unchanged) AS DOUBLE))"
                    + " FILTER (WHERE isfinite(unchanged)) AS hit_change,"
                : "")
            + " (SELECT min(actual) < 0 AND max(actual) > 0 FROM p) AS signed"
            + " FROM p, (SELECT avg(actual) AS m FROM p WHERE "
            + where
            + ") a WHERE "
            + where);
    queries.addAll(icQueries(db, where, changes));
    List<List<Map<String, Object>>> results = Duck.parallel(db, queries);
    Map<String, Object> r = results.getFirst().getFirst();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", ((Number) r.get("n")).longValue());
    out.put("r2", number(r.get("r2")));
    out.put("rmse", number(r.get("rmse")));
    out.put("mae", number(r.get("mae")));
    // the direction called right: the sign, for a target that goes both ways (a return); for one
    // that never changes sign (a rate, a price, a volume) every positive prediction would count,
    // so the side of the actuals' mean instead. Which one is decided over every prediction, so a
    // fold whose returns happened all to be positive still scores the sign like the others.
    // A level forecast's (a value label's) direction is its change from the current value: a
    // price's side of the test window's mean says only that the model tracks the price.
    boolean signed = Boolean.TRUE.equals(r.get("signed"));
    String basis = changes ? "hit_change" : signed ? "hit_sign" : "hit_mean";
    out.put("hit_rate", number(r.get(basis)));
    out.put(
        HIT_RATE_BASIS, changes ? CHANGE_DIRECTION : signed ? "sign" : "side of the mean actual");
    List<Double> ics = new ArrayList<>();
    List<Double> rankIcs = new ArrayList<>();
    List<Map<String, Object>> series = new ArrayList<>();
    for (List<Map<String, Object>> rows : results.subList(1, results.size())) {
      for (Map<String, Object> p : rows) {
        Double ic = number(p.get("ic"));
        Double ric = number(p.get("ric"));
        if (ic != null && ric != null) {
          ics.add(ic);
          rankIcs.add(ric);
          series.add(
              Json.ordered(
                  "period",
                  String.valueOf(p.get("period")),
                  "rows",
                  ((Number) p.get("n")).longValue(),
                  "ic",
                  ic,
                  "rank_ic",
                  ric));
        }
      }
    }
    out.put(IC_BASIS, changes ? CHANGES : VALUES);
    out.put("ic_periods", (long) ics.size());
    summarize(out, "ic", ics, lags);
    summarize(out, "rank_ic", rankIcs, lags);
    out.put(IC_BY_PERIOD, series);
    return out;
  }

  /**
   * A factor's quantile analysis: in every period the rows are split into {@code q} buckets by
   * prediction (ntile, ties broken by time and actual, so the same buckets every run), and each
   * bucket's mean actual taken; over the periods that fill every bucket, each bucket's mean of
   * those means, and the spread, top bucket minus bottom, per period with its mean and t-statistic:
   * a factor that ranks well earns a positive spread, period after period. One thread: the same
   * bits every run.
   */
  static Map<String, Object> quantiles(Connection db, String where, int q, int lags)
      throws SQLException {
    boolean changes = scoresChanges(db);
    List<Map<String, Object>> rows =
        Duck.parallel(
                db,
                List.of(
                    "SELECT CAST(period AS VARCHAR) AS period, bucket, avg(actual) AS m FROM"
                        + " (SELECT period, actual, ntile("
                        + q
                        + ") OVER (PARTITION BY period ORDER BY prediction, __t, actual) AS bucket"
                        + " FROM "
                        + scored(changes)
                        + " WHERE "
                        + where
                        + ") GROUP BY period, bucket ORDER BY period, bucket"))
            .getFirst();
    Map<String, double[]> byPeriod = new LinkedHashMap<>();
    // ntile fills buckets 1 .. q in order: a period of fewer rows than buckets has no bucket q
    Set<String> full = new HashSet<>();
    for (Map<String, Object> r : rows) {
      String period = (String) r.get("period");
      int bucket = ((Number) r.get("bucket")).intValue();
      byPeriod.computeIfAbsent(period, k -> new double[q])[bucket - 1] =
          ((Number) r.get("m")).doubleValue();
      if (bucket == q) {
        full.add(period);
      }
    }
    double[] total = new double[q];
    List<Double> spreads = new ArrayList<>();
    List<Map<String, Object>> series = new ArrayList<>();
    for (Map.Entry<String, double[]> e : byPeriod.entrySet()) {
      if (!full.contains(e.getKey())) {
        continue; // fewer rows than buckets
      }
      double[] m = e.getValue();
      for (int b = 0; b < q; b++) {
        total[b] += m[b];
      }
      double spread = m[q - 1] - m[0];
      spreads.add(spread);
      series.add(Json.ordered("period", e.getKey(), "spread", spread));
    }
    List<Double> byQuantile = new ArrayList<>();
    for (int b = 0; b < q; b++) {
      byQuantile.add(spreads.isEmpty() ? null : total[b] / spreads.size());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", q);
    out.put("basis", changes ? CHANGES : VALUES);
    out.put("periods", (long) spreads.size());
    out.put("mean_actual_by_quantile", byQuantile);
    Double mean = mean(spreads);
    out.put("spread_mean", mean);
    out.put("spread_tstat", tstat(mean, std(spreads), spreads.size()));
    out.put("spread_tstat_nw", neweyWestTstat(spreads, lags));
    out.put("spread_by_period", series);
    return out;
  }

  /**
   * {@code name}_mean, {@code name}_tstat and {@code name}_tstat_nw ({@link #neweyWestTstat}) of
   * the per-period values {@code xs}.
   */
  private static void summarize(Map<String, Object> out, String name, List<Double> xs, int lags) {
    Double mean = mean(xs);
    out.put(name + "_mean", mean);
    out.put(name + "_tstat", tstat(mean, std(xs), xs.size()));
    out.put(name + "_tstat_nw", neweyWestTstat(xs, lags));
  }

  /**
   * How many following periods a period's labels reach into: a label {@code horizon} rows ahead,
   * with {@code rowsPerPeriod} rows of a symbol in a period, shares its future rows with the next
   * ceil((horizon - 1) / rowsPerPeriod) periods' labels. Daily bars with a 5-day forward return and
   * a daily IC: 4. Their ICs are then correlated, and a t-statistic that takes them as independent
   * overstates how sure the mean is.
   */
  static int overlapLags(int horizon, double rowsPerPeriod) {
    if (horizon <= 1 || !(rowsPerPeriod > 0)) {
      return 0;
    }
    return (int) Math.ceil((horizon - 1) / rowsPerPeriod);
  }

  /**
   * The t-statistic of the mean of {@code xs} (in period order) with Newey and West's standard
   * error: the autocovariances up to {@code lags} periods apart added with Bartlett's weights 1 - l
   * / (lags + 1), which keep the variance from going negative. Scaled as the sample variance (n -
   * 1), so with no lags it is the plain t-statistic.
   */
  static Double neweyWestTstat(List<Double> xs, int lags) {
    int n = xs.size();
    Double m = mean(xs);
    if (m == null || n < 2) {
      return null;
    }
    double s = 0;
    for (double x : xs) {
      s += (x - m) * (x - m);
    }
    for (int l = 1; l <= Math.min(lags, n - 1); l++) {
      double c = 0;
      for (int t = l; t < n; t++) {
        c += (xs.get(t) - m) * (xs.get(t - l) - m);
      }
      s += 2 * (1 - l / (lags + 1.0)) * c;
    }
    return s <= 0 ? null : m / Math.sqrt(s / ((double) n * (n - 1)));
  }

  /**
   * The queries for the IC of every period in {@code where}, each over a run of periods: per
   * period, Pearson's correlation of prediction and actual and of their ranks, ties given the mean
   * of the ranks they span (Spearman's rank correlation; periods of fewer than 3 rows left out), in
   * period order.
   */
  private static List<String> icQueries(Connection db, String where, boolean changes)
      throws SQLException {
    List<String> periods = new ArrayList<>();
    for (Map<String, Object> r :
        Sql.rows(
            db,
            "SELECT DISTINCT CAST(period AS VARCHAR) AS period FROM p WHERE "
                + where
                + " ORDER BY 1")) {
      periods.add((String) r.get("period"));
    }
    // four queries a thread keep the threads busy to the end; a period's IC is the same whichever
    // query holds it
    int perQuery = Math.max(1, Math.ceilDiv(periods.size(), 4 * Duck.threads(db)));
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < periods.size(); i += perQuery) {
      // the times from this run's first period to the next run's: DuckDB skips the row groups of
      // a file in time order that hold none of them
      int next = i + perQuery;
      // ties ranked at the mean of the ranks they span, as pandas and scipy rank them (doubled: the
      // same correlation)
      queries.add(
          "WITH ranked AS (SELECT period, actual, prediction, "
              + twiceMeanRank("wa")
              + " AS ra, "
              + twiceMeanRank("wp")
              + " AS rp FROM "
              + scored(changes)
              + " WHERE ("
              + where
              + ") AND __t >= CAST("
              + Sql.literal(periods.get(i))
              + " AS TIMESTAMP)"
              + (next < periods.size()
                  ? " AND __t < CAST(" + Sql.literal(periods.get(next)) + " AS TIMESTAMP)"
                  : "")
              + " WINDOW wa AS (PARTITION BY period ORDER BY actual),"
              + " wp AS (PARTITION BY period ORDER BY prediction))"
              + " SELECT period, count(*) AS n, corr(prediction, actual) AS ic,"
              + " corr(rp, ra) AS ric"
              + " FROM ranked GROUP BY period HAVING count(*) >= 3 ORDER BY period");
    }
    return queries;
  }

  /**
   * Whether the view {@code p} holds a value label's current value ({@code unchanged}, from train),
   * so the hit rate, the IC and the quantiles score changes from it and evaluate measures against
   * no change.
   */
  static boolean scoresChanges(Connection db) throws SQLException {
    return Sql.columns(db, "SELECT * FROM p").containsKey(Benchmarks.UNCHANGED);
  }

  /**
   * The rows a factor's IC and quantiles score: {@code p}, or for a value label (a level such as
   * tomorrow's close) its forecast change against the actual change from the current value, those
   * rows that have one. The IC of levels is high for any forecast that tracks the level, and ranks
   * of levels across symbols rank their prices.
   */
  private static String scored(boolean changes) {
    return changes
        ? "(SELECT * REPLACE (actual - unchanged AS actual, prediction - unchanged AS prediction)"
            + " FROM p WHERE isfinite(unchanged))"
        : "p";
  }

  /**
   * Twice the mean of the 1-based ranks that a row's ties span in window {@code w}: {@code rank()}
   * is the lowest of them and {@code count(*)} up to the row's last peer (the default frame) the
   * highest. Both share the window's one sort, and the sum is a whole number, so sums of it are
   * exact in any order.
   */
  private static String twiceMeanRank(String w) {
    return "rank() OVER " + w + " + count(*) OVER " + w;
  }

  private static Double mean(List<Double> xs) {
    if (xs.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (double x : xs) {
      sum += x;
    }
    return sum / xs.size();
  }

  /** The sample standard deviation (n - 1), as DuckDB's stddev_samp. */
  private static Double std(List<Double> xs) {
    if (xs.size() < 2) {
      return null;
    }
    double m = mean(xs);
    double sq = 0;
    for (double x : xs) {
      sq += (x - m) * (x - m);
    }
    return Math.sqrt(sq / (xs.size() - 1));
  }

  static Map<String, Object> classification(Connection db, String where) throws SQLException {
    Map<String, Object> r =
        Duck.row(
            db,
            "SELECT count(*) AS n,"
                + " count(*) FILTER (actual = 1 AND prediction >= 0.5) AS tp,"
                + " count(*) FILTER (actual = 0 AND prediction >= 0.5) AS fp,"
                + " count(*) FILTER (actual = 0 AND prediction < 0.5) AS tn,"
                + " count(*) FILTER (actual = 1 AND prediction < 0.5) AS fn,"
                + " -avg(actual * ln(greatest(least(prediction, 1 - 1e-15), 1e-15))"
                + " + (1 - actual) * ln(greatest(least(1 - prediction, 1 - 1e-15), 1e-15))) AS log_loss"
                + " FROM p WHERE "
                + where);
    // ROC AUC from the positives' rank sum (ties at their mean rank), summed as twice the ranks in
    // integers: exact, so DuckDB may sort and add on every thread and still give the same bits
    Map<String, Object> auc =
        Sql.row(
            db,
            "WITH ranked AS (SELECT actual, "
                + twiceMeanRank("w")
                + " AS twice_rank FROM p WHERE "
                + where
                + " WINDOW w AS (ORDER BY prediction)),"
                + " n AS (SELECT sum(twice_rank) FILTER (actual = 1) AS twice,"
                + " count(*) FILTER (actual = 1) AS pos, count(*) FILTER (actual = 0) AS neg"
                + " FROM ranked) SELECT (twice - pos * (pos + 1)) / nullif(2.0 * pos * neg, 0)"
                + " AS auc FROM n");
    long tp = count(r, "tp");
    long fp = count(r, "fp");
    long tn = count(r, "tn");
    long fn = count(r, "fn");
    long n = count(r, "n");
    Double precision = tp + fp == 0 ? null : (double) tp / (tp + fp);
    Double recall = tp + fn == 0 ? null : (double) tp / (tp + fn);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", n);
    out.put("accuracy", n == 0 ? null : (double) (tp + tn) / n);
    out.put("precision", precision);
    out.put("recall", recall);
    out.put(
        "f1",
        precision == null || recall == null || precision + recall == 0
            ? null
            : 2 * precision * recall / (precision + recall));
    out.put("roc_auc", number(auc.get("auc")));
    out.put("log_loss", number(r.get("log_loss")));
    out.put("confusion_matrix", Json.ordered("tp", tp, "fp", fp, "tn", tn, "fn", fn));
    return out;
  }

  private static long count(Map<String, Object> r, String key) {
    return ((Number) r.get(key)).longValue();
  }

  private static Double number(Object v) {
    if (v == null) {
      return null;
    }
    double d = ((Number) v).doubleValue();
    return Double.isFinite(d) ? d : null;
  }

  private static Double tstat(Double m, Double s, long n) {
    return m == null || s == null || s == 0 || n < 2 ? null : m / s * Math.sqrt(n);
  }
}
