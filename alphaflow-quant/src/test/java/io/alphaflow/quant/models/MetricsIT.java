package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.quant.data.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Regression metrics over predictions with many periods: the IC per period, its mean and t-stat as
 * one DuckDB query over all periods gives them, and the same bits on one thread as on two.
 */
class MetricsIT {
  /**
   * 30 hourly periods of 10,000 predictions (more than one of DuckDB's row groups, so several
   * threads can share a query), ties in the actuals, and one period of 2 rows.
   */
  private static void predictions(Connection c) throws Exception {
    Sql.exec(
        c,
        "CREATE TABLE preds AS SELECT 1 AS fold, TIMESTAMP '2024-03-01' + to_minutes(i * 60 // 10000)"
            + " AS ts, round(sin(i * 0.37), 1) AS actual, sin(i * 0.37) * 0.3 + cos(i * 1.3) * 0.2"
            + " AS prediction FROM range(300000) r(i)"
            + " UNION ALL SELECT 1, TIMESTAMP '2024-03-05', 0.1, 0.2"
            + " UNION ALL SELECT 1, TIMESTAMP '2024-03-05 00:10', 0.3, 0.1");
    Sql.exec(
        c,
        "CREATE VIEW p AS SELECT fold, actual, prediction, date_trunc('hour', ts) AS period,"
            + " ts AS __t FROM preds");
  }

  @Test
  void icOverManyPeriodsIsWhatOneQueryGives() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      predictions(c);
      Map<String, Object> ours = Metrics.regression(c, "TRUE", 0);
      Map<String, Object> direct =
          Sql.row(
              c,
              "WITH per AS (SELECT period, corr(prediction, actual) AS ic"
                  + " FROM p GROUP BY period HAVING count(*) >= 3)"
                  + " SELECT count(ic) AS n, avg(ic) AS ic, stddev_samp(ic) AS ic_sd FROM per");
      long n = ((Number) direct.get("n")).longValue();
      assertThat(n).as("the 2-row period is left out").isEqualTo(30);
      assertThat(ours.get("ic_periods")).isEqualTo(n);
      double ic = ((Number) direct.get("ic")).doubleValue();
      assertThat((Double) ours.get("ic_mean")).isCloseTo(ic, within(1e-12));
      double icT = ic / ((Number) direct.get("ic_sd")).doubleValue() * Math.sqrt(n);
      assertThat((Double) ours.get("ic_tstat")).isCloseTo(icT, within(1e-9 * Math.abs(icT)));

      // the rank IC, against Spearman's correlation worked out here, period by period
      List<Double> spearman = new ArrayList<>();
      for (List<double[]> rows : byPeriod(c)) {
        if (rows.size() >= 3) {
          spearman.add(spearman(rows));
        }
      }
      double ric = spearman.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double ricSd =
          Math.sqrt(
              spearman.stream().mapToDouble(x -> (x - ric) * (x - ric)).sum()
                  / (spearman.size() - 1));
      double ricT = ric / ricSd * Math.sqrt(spearman.size());
      assertThat((Double) ours.get("rank_ic_mean")).isCloseTo(ric, within(1e-12));
      assertThat((Double) ours.get("rank_ic_tstat")).isCloseTo(ricT, within(1e-9 * Math.abs(ricT)));
      assertThat((Long) ours.get("rows")).isEqualTo(300002L);
    }
  }

  /**
   * With labels that overlap {@code lags} periods, the t-statistic's variance is the double sum of
   * every pair of periods' deviations weighted 1 - |i - j| / (lags + 1) within lags of each other:
   * worked out here that way over the reported series.
   */
  @Test
  void theOverlapsTStatisticWeighsEveryPairOfPeriodsWithinTheLags() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      predictions(c);
      Map<String, Object> plain = Metrics.regression(c, "TRUE", 0);
      Map<String, Object> overlapping = Metrics.regression(c, "TRUE", 3);

      // no overlap: the plain t-statistic
      for (String t : List.of("ic_tstat", "rank_ic_tstat")) {
        double expected = (Double) plain.get(t);
        assertThat((Double) plain.get(t + "_nw"))
            .as(t)
            .isCloseTo(expected, within(1e-12 * Math.abs(expected)));
      }
      for (String name : List.of("ic", "rank_ic")) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series =
            (List<Map<String, Object>>) overlapping.get(Metrics.IC_BY_PERIOD);
        double[] x = series.stream().mapToDouble(p -> (Double) p.get(name)).toArray();
        int n = x.length;
        double mean = Arrays.stream(x).average().orElseThrow();
        double s = 0;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            int lag = Math.abs(i - j);
            if (lag <= 3) {
              s += (1 - lag / 4.0) * (x[i] - mean) * (x[j] - mean);
            }
          }
        }
        double t = mean / Math.sqrt(s / ((double) n * (n - 1)));
        assertThat((Double) overlapping.get(name + "_tstat_nw"))
            .as(name)
            .isCloseTo(t, within(1e-9 * Math.abs(t)));
        assertThat(overlapping.get(name + "_tstat")).isEqualTo(plain.get(name + "_tstat"));
      }
    }
  }

  /**
   * Ties share the mean of the ranks they span, as Spearman's correlation (pandas', scipy's) has
   * it; with each tie ranked at its lowest rank the IC below would be 0.9467 instead of 0.9487.
   */
  @Test
  void rankIcGivesTiesTheirMeanRank() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      // actual ranks 1.5, 1.5, 3, 4 (the first two tied); prediction ranks 1, 2, 3, 4
      Map<String, Object> m = scored(c, "(0.1, -0.3), (0.1, -0.2), (0.2, 0.1), (0.4, 0.3)");
      // Pearson's of (1.5, 1.5, 3, 4) and (1, 2, 3, 4): 4.5 / sqrt(4.5 * 5)
      double[] ra = {1.5, 1.5, 3, 4};
      double[] rp = {1, 2, 3, 4};
      assertThat((Double) m.get("rank_ic_mean")).isCloseTo(pearson(ra, rp), within(1e-15));
      assertThat((Double) m.get("rank_ic_mean")).isCloseTo(0.9486832980505138, within(1e-15));
    }
  }

  /** (actual, prediction) of every row of {@code p}, one list a period, in period order. */
  private static List<List<double[]>> byPeriod(Connection c) throws Exception {
    Map<Object, List<double[]>> out = new TreeMap<>();
    for (Map<String, Object> r : Sql.rows(c, "SELECT period, actual, prediction FROM p")) {
      out.computeIfAbsent(r.get("period").toString(), k -> new ArrayList<>())
          .add(
              new double[] {
                ((Number) r.get("actual")).doubleValue(),
                ((Number) r.get("prediction")).doubleValue()
              });
    }
    return new ArrayList<>(out.values());
  }

  /** Spearman's correlation of column 0 and column 1 of {@code rows}: Pearson's of their ranks. */
  private static double spearman(List<double[]> rows) {
    return pearson(ranks(rows, 0), ranks(rows, 1));
  }

  /** 1-based ranks of column {@code k}; tied values get the mean of the ranks they span. */
  private static double[] ranks(List<double[]> rows, int k) {
    Integer[] order = new Integer[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> rows.get(i)[k]));
    double[] rank = new double[rows.size()];
    for (int lo = 0; lo < order.length; ) {
      int hi = lo;
      while (hi + 1 < order.length && rows.get(order[hi + 1])[k] == rows.get(order[lo])[k]) {
        hi++;
      }
      for (int i = lo; i <= hi; i++) {
        rank[order[i]] = (lo + hi) / 2.0 + 1;
      }
      lo = hi + 1;
    }
    return rank;
  }

  private static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElseThrow();
    double my = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  /**
   * The hit rate counts the direction called right: the sign of a target that takes both signs, and
   * the side of the mean actual for one that never goes below zero, where every positive prediction
   * would otherwise be a hit.
   */
  @Test
  void hitRateIsTheSignForReturnsAndTheSideOfTheMeanForALevel() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      // returns: the prediction has the right sign in 3 of 4 rows
      Map<String, Object> returns =
          scored(c, "(0.02, 0.01), (-0.01, -0.03), (0.03, -0.01), (-0.02, -0.02)");
      assertThat(returns.get("hit_rate")).isEqualTo(0.75);
      assertThat(returns.get("hit_rate_basis")).isEqualTo("sign");

      // a rate in [0, 1] around its mean of 0.5: the side called right in 2 of 4 rows, not all 4
      Map<String, Object> level = scored(c, "(0.7, 0.6), (0.3, 0.6), (0.6, 0.4), (0.4, 0.3)");
      assertThat(level.get("hit_rate")).isEqualTo(0.5);
      assertThat(level.get("hit_rate_basis")).isEqualTo("side of the mean actual");
    }
  }

  /**
   * A level forecast (a value label: tomorrow's close) calls a direction when it moves from today's
   * value the way the actual does. Its side of the mean actual says only that it tracks the level:
   * here every row, while the change is called in 2 of 4 (a row without a current value is left
   * out).
   */
  @Test
  void aLevelForecastsHitRateIsTheDirectionOfChangeFromTheCurrentValue() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Sql.exec(
          c,
          "CREATE TABLE preds AS SELECT 1 AS fold, actual::DOUBLE AS actual, prediction::DOUBLE AS"
              + " prediction, unchanged::DOUBLE AS unchanged FROM (VALUES (101, 100.5, 100),"
              + " (99, 100.5, 100), (110, 109, 110.5), (90, 91, 90.5), (120, 121, NULL)) t(actual,"
              + " prediction, unchanged)");
      Sql.exec(
          c,
          "CREATE VIEW p AS SELECT fold, actual, prediction, unchanged, TIMESTAMP '2024-03-01'"
              + " AS period, TIMESTAMP '2024-03-01' AS __t FROM preds");
      Map<String, Object> level = Metrics.regression(c, "TRUE", 0);
      assertThat(level.get("hit_rate")).isEqualTo(0.5);
      assertThat(level.get("hit_rate_basis"))
          .isEqualTo("direction of change from the current value");
      assertThat(level.get("rows")).isEqualTo(5L);
      assertThat(level.get("ic_basis")).isEqualTo("change from the current value");
    }
  }

  /**
   * A return's basis is the sign in every fold, also one whose returns all happened to be positive:
   * the basis is the target's, not a fold's, so the folds' hit rates compare.
   */
  @Test
  void everyFoldScoresTheHitRateOnTheTargetsBasis() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      inOnePeriod(c, "(1, 0.02, 0.01), (1, 0.01, -0.03), (2, -0.03, -0.01), (2, 0.02, -0.02)");
      Map<String, Object> rising = Metrics.regression(c, "fold = 1", 0);
      assertThat(rising.get("hit_rate_basis")).isEqualTo("sign");
      assertThat(rising.get("hit_rate")).isEqualTo(0.5);
      Map<String, Object> mixed = Metrics.regression(c, "fold = 2", 0);
      assertThat(mixed.get("hit_rate_basis")).isEqualTo("sign");
      assertThat(mixed.get("hit_rate")).isEqualTo(0.5);
    }
  }

  /** The regression metrics of (actual, prediction) pairs, all in one period and fold. */
  private static Map<String, Object> scored(Connection c, String pairs) throws Exception {
    inOnePeriod(c, pairs.replace("(", "(1, "));
    return Metrics.regression(c, "TRUE", 0);
  }

  /** Makes the view {@code p} of (fold, actual, prediction) triples, all in one period. */
  private static void inOnePeriod(Connection c, String triples) throws Exception {
    Sql.exec(
        c,
        "CREATE OR REPLACE TABLE preds AS SELECT fold, actual::DOUBLE AS actual,"
            + " prediction::DOUBLE AS prediction FROM (VALUES "
            + triples
            + ") t(fold, actual, prediction)");
    Sql.exec(
        c,
        "CREATE OR REPLACE VIEW p AS SELECT fold, actual, prediction, TIMESTAMP '2024-03-01'"
            + " AS period, TIMESTAMP '2024-03-01' AS __t FROM preds");
  }

  @Test
  void theSameBitsOnOneThreadAsOnTwo() throws Exception {
    Map<?, ?>[] seen = new Map<?, ?>[4];
    for (int threads = 1; threads <= 2; threads++) {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
        Sql.exec(c, "SET threads = " + threads);
        predictions(c);
        seen[threads - 1] = Metrics.regression(c, "TRUE", 0);
        // as classes: the actual's sign, the prediction squashed to a probability (ties in it)
        Sql.exec(
            c,
            "CREATE OR REPLACE VIEW p AS SELECT fold, CAST(actual > 0 AS DOUBLE) AS actual,"
                + " round(1 / (1 + exp(-4 * prediction)), 3) AS prediction,"
                + " date_trunc('hour', ts) AS period, ts AS __t FROM preds");
        seen[threads + 1] = Metrics.classification(c, "TRUE");
      }
    }
    assertThat(seen[1]).isEqualTo(seen[0]);
    assertThat(seen[3]).isEqualTo(seen[2]);
  }

  /** ROC AUC counts a tie between a positive and a negative as half a correct ordering. */
  @Test
  void rocAucCountsTiesAsHalf() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      // positives at 0.9 and 0.5, negatives at 0.5 and 0.1: of the 4 pairs, 3 ordered, 1 tied
      inOnePeriod(c, "(1, 1, 0.9), (1, 1, 0.5), (1, 0, 0.5), (1, 0, 0.1)");
      assertThat(Metrics.classification(c, "TRUE").get("roc_auc")).isEqualTo(3.5 / 4);
      inOnePeriod(c, "(1, 1, 0.2), (1, 0, 0.8)");
      assertThat(Metrics.classification(c, "TRUE").get("roc_auc")).isEqualTo(0.0);
      inOnePeriod(c, "(1, 1, 0.2), (1, 1, 0.8)");
      assertThat(Metrics.classification(c, "TRUE").get("roc_auc")).isNull();
    }
  }
}
