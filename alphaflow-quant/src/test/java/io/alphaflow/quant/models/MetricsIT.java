package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.quant.data.Sql;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
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
      Map<String, Object> ours = Metrics.regression(c, "TRUE");
      Map<String, Object> direct =
          Sql.row(
              c,
              "WITH ranked AS (SELECT period, actual, prediction,"
                  + " rank() OVER (PARTITION BY period ORDER BY actual) AS ra,"
                  + " rank() OVER (PARTITION BY period ORDER BY prediction) AS rp FROM p),"
                  + " per AS (SELECT period, corr(prediction, actual) AS ic, corr(rp, ra) AS ric"
                  + " FROM ranked GROUP BY period HAVING count(*) >= 3)"
                  + " SELECT count(ic) AS n, avg(ic) AS ic, stddev_samp(ic) AS ic_sd,"
                  + " avg(ric) AS ric, stddev_samp(ric) AS ric_sd FROM per"
                  + " WHERE isfinite(ic) AND isfinite(ric)");
      long n = ((Number) direct.get("n")).longValue();
      assertThat(n).as("the 2-row period is left out").isEqualTo(30);
      assertThat(ours.get("ic_periods")).isEqualTo(n);
      double ic = ((Number) direct.get("ic")).doubleValue();
      double ric = ((Number) direct.get("ric")).doubleValue();
      assertThat((Double) ours.get("ic_mean")).isCloseTo(ic, within(1e-12));
      assertThat((Double) ours.get("rank_ic_mean")).isCloseTo(ric, within(1e-12));
      double icT = ic / ((Number) direct.get("ic_sd")).doubleValue() * Math.sqrt(n);
      double ricT = ric / ((Number) direct.get("ric_sd")).doubleValue() * Math.sqrt(n);
      assertThat((Double) ours.get("ic_tstat")).isCloseTo(icT, within(1e-9 * Math.abs(icT)));
      assertThat((Double) ours.get("rank_ic_tstat")).isCloseTo(ricT, within(1e-9 * Math.abs(ricT)));
      assertThat((Long) ours.get("rows")).isEqualTo(300002L);
    }
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
   * A return's basis is the sign in every fold, also one whose returns all happened to be positive:
   * the basis is the target's, not a fold's, so the folds' hit rates compare.
   */
  @Test
  void everyFoldScoresTheHitRateOnTheTargetsBasis() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      inOnePeriod(c, "(1, 0.02, 0.01), (1, 0.01, -0.03), (2, -0.03, -0.01), (2, 0.02, -0.02)");
      Map<String, Object> rising = Metrics.regression(c, "fold = 1");
      assertThat(rising.get("hit_rate_basis")).isEqualTo("sign");
      assertThat(rising.get("hit_rate")).isEqualTo(0.5);
      Map<String, Object> mixed = Metrics.regression(c, "fold = 2");
      assertThat(mixed.get("hit_rate_basis")).isEqualTo("sign");
      assertThat(mixed.get("hit_rate")).isEqualTo(0.5);
    }
  }

  /** The regression metrics of (actual, prediction) pairs, all in one period and fold. */
  private static Map<String, Object> scored(Connection c, String pairs) throws Exception {
    inOnePeriod(c, pairs.replace("(", "(1, "));
    return Metrics.regression(c, "TRUE");
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
        seen[threads - 1] = Metrics.regression(c, "TRUE");
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
