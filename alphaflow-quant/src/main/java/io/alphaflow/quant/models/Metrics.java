package io.alphaflow.quant.models;

import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores out-of-sample predictions (the view {@code p}: actual, prediction, period) in DuckDB:
 * regression R², RMSE, MAE and the information coefficient; classification accuracy, precision,
 * recall, F1, ROC AUC, log loss and the confusion matrix.
 */
final class Metrics {
  private Metrics() {}

  static Map<String, Object> regression(Connection db, String where) throws SQLException {
    Map<String, Object> r =
        Sql.row(
            db,
            "SELECT count(*) AS n, 1 - sum((actual - prediction) ^ 2)"
                + " / nullif(sum((actual - a.m) ^ 2), 0) AS r2,"
                + " sqrt(avg((actual - prediction) ^ 2)) AS rmse, avg(abs(actual - prediction)) AS mae,"
                + " avg(CAST(sign(prediction) = sign(actual) AS DOUBLE)) AS hit_rate"
                + " FROM p, (SELECT avg(actual) AS m FROM p WHERE "
                + where
                + ") a WHERE "
                + where);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", ((Number) r.get("n")).longValue());
    out.put("r2", number(r.get("r2")));
    out.put("rmse", number(r.get("rmse")));
    out.put("mae", number(r.get("mae")));
    out.put("hit_rate", number(r.get("hit_rate")));
    out.putAll(ic(db, where));
    return out;
  }

  /** Pearson and rank IC per period, their mean and t-statistic (mean / std * sqrt(periods)). */
  private static Map<String, Object> ic(Connection db, String where) throws SQLException {
    Map<String, Object> r =
        Sql.row(
            db,
            "WITH ranked AS (SELECT period, actual, prediction,"
                + " rank() OVER (PARTITION BY period ORDER BY actual) AS ra,"
                + " rank() OVER (PARTITION BY period ORDER BY prediction) AS rp FROM p WHERE "
                + where
                + "), per AS (SELECT period, corr(prediction, actual) AS ic, corr(rp, ra) AS ric"
                + " FROM ranked GROUP BY period HAVING count(*) >= 3)"
                + " SELECT count(ic) AS periods, avg(ic) AS ic_mean, stddev_samp(ic) AS ic_std,"
                + " avg(ric) AS ric_mean, stddev_samp(ric) AS ric_std FROM per"
                + " WHERE isfinite(ic) AND isfinite(ric)");
    long periods = ((Number) r.get("periods")).longValue();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ic_periods", periods);
    out.put("ic_mean", number(r.get("ic_mean")));
    out.put("ic_tstat", tstat(r.get("ic_mean"), r.get("ic_std"), periods));
    out.put("rank_ic_mean", number(r.get("ric_mean")));
    out.put("rank_ic_tstat", tstat(r.get("ric_mean"), r.get("ric_std"), periods));
    return out;
  }

  static Map<String, Object> classification(Connection db, String where) throws SQLException {
    Map<String, Object> r =
        Sql.row(
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
    Map<String, Object> auc =
        Sql.row(
            db,
            "WITH ranked AS (SELECT actual, rank() OVER (ORDER BY prediction) AS lo,"
                + " count(*) OVER (PARTITION BY prediction) AS ties FROM p WHERE "
                + where
                + ") SELECT (sum(lo + (ties - 1) / 2.0) FILTER (actual = 1)"
                + " - count(*) FILTER (actual = 1) * (count(*) FILTER (actual = 1) + 1) / 2.0)"
                + " / nullif(count(*) FILTER (actual = 1) * count(*) FILTER (actual = 0), 0) AS auc"
                + " FROM ranked");
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

  private static Double tstat(Object mean, Object std, long n) {
    Double m = number(mean);
    Double s = number(std);
    return m == null || s == null || s == 0 || n < 2 ? null : m / s * Math.sqrt(n);
  }
}
