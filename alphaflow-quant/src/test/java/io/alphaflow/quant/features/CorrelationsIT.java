package io.alphaflow.quant.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The correlation matrix in {@code feature_metadata.json}: pandas' {@code df.corr()}, each pair
 * over the rows where both are finite; the same read in parts side by side as in one scan, and what
 * DuckDB's corr() gives over each pair's rows.
 */
class CorrelationsIT {
  @TempDir Path dir;

  /** Features of these names; only their names count here, the columns are already written. */
  private static List<Feature> features(String... names) {
    return FeatureCatalog.parse(
        java.util.Arrays.stream(names).map(n -> (Object) Map.of("name", n, "sql", "0")).toList());
  }

  @Test
  void partsGiveTheMatrixOfOneScanAndOfCorr() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Path input = dir.resolve("input.parquet");
      Path out = dir.resolve("features.parquet");
      Sql.exec(
          c,
          "COPY (SELECT TIMESTAMP '2024-01-02' + to_minutes(t) AS ts, sin(t) + 1000 AS x"
              + " FROM range(1000) r(t)) TO '"
              + input
              + "' (FORMAT parquet, ROW_GROUP_SIZE 100)");
      // b is NULL at first (a moving average), c once infinite, d constant
      Sql.exec(
          c,
          "COPY (SELECT x * 2 + cos(t * 3) AS a,"
              + " CASE WHEN t < 4 THEN NULL ELSE x - sin(t * 0.5) END AS b,"
              + " CASE WHEN t = 500 THEN 'inf'::DOUBLE ELSE cos(t) * 1e6 END AS c, 7 AS d"
              + " FROM (SELECT row_number() OVER () - 1 AS t, x FROM '"
              + input
              + "')) TO '"
              + out
              + "' (FORMAT parquet, ROW_GROUP_SIZE 64)");
      List<Feature> features = features("a", "b", "c", "d");

      var whole = FeaturesTask.correlations(c, out, 1000, features, Long.MAX_VALUE);
      var parts = FeaturesTask.correlations(c, out, 1000, features, 37);

      // each pair over its own rows: a's with c's leave out only c's infinite row, not b's NULLs
      Map<String, Object> corr =
          Sql.row(
              c,
              "SELECT corr(a, b) FILTER (WHERE isfinite(a) AND isfinite(b)) AS ab,"
                  + " corr(a, c) FILTER (WHERE isfinite(a) AND isfinite(c)) AS ac,"
                  + " corr(b, c) FILTER (WHERE isfinite(b) AND isfinite(c)) AS bc,"
                  + " corr(a, c) FILTER (WHERE isfinite(a) AND isfinite(b) AND isfinite(c))"
                  + " AS ac_listwise FROM '"
                  + out
                  + "'");
      assertThat((Double) corr.get("ac"))
          .isNotCloseTo((Double) corr.get("ac_listwise"), within(1e-6));
      for (var m : List.of(whole, parts)) {
        assertThat(m.get("a").get("a")).isEqualTo(1.0);
        assertThat(m.get("a").get("b")).isCloseTo((Double) corr.get("ab"), within(1e-12));
        assertThat(m.get("b").get("a")).isEqualTo(m.get("a").get("b"));
        assertThat(m.get("a").get("c")).isCloseTo((Double) corr.get("ac"), within(1e-12));
        assertThat(m.get("c").get("b")).isCloseTo((Double) corr.get("bc"), within(1e-12));
        assertThat(m.get("a").get("d")).as("a constant has no correlation").isNull();
        assertThat(m.get("d").get("d")).isEqualTo(1.0);
      }
      assertThat(parts.get("a").get("c")).isCloseTo(whole.get("a").get("c"), within(1e-13));
    }
  }

  /**
   * pandas 1.5's {@code df.corr()} of a small frame with a NaN and an infinite value, each pair
   * over its own finite rows: a-b 0.855236, a-c 0.858116, b-c 0.933257.
   */
  @Test
  void aSmallFrameGivesPandasMatrix() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Path out = dir.resolve("small.parquet");
      Sql.exec(
          c,
          "COPY (SELECT * FROM (VALUES (1.0, 2.0, NULL), (2.0, 1.0, 1.0), (3.0, 'inf'::DOUBLE, 2.0),"
              + " (4.0, 3.0, 2.0), (5.0, 5.0, 7.0)) v(a, b, c)) TO '"
              + out
              + "' (FORMAT parquet)");
      List<Feature> features = features("a", "b", "c");

      var m = FeaturesTask.correlations(c, out, 5, features, Long.MAX_VALUE);

      assertThat(m.get("a").get("b")).isCloseTo(0.855236, within(5e-7));
      assertThat(m.get("a").get("c")).isCloseTo(0.858116, within(5e-7));
      assertThat(m.get("b").get("c")).isCloseTo(0.933257, within(5e-7));
      assertThat(m.get("c").get("b")).isEqualTo(m.get("b").get("c"));
    }
  }

  /**
   * Every column with one, as seed 000's {@code df.corr()['S_LI_INITIATIVESELLRATE']}: pandas 1.5.3
   * gives a 0.606780, b 0.872017 (over b's finite rows), t 1.0, the boolean k -0.389249, and NaN
   * for the constant z. Summed in two parts, the same.
   */
  @Test
  void everyColumnWithOneGivesPandasColumn() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Path out = dir.resolve("with.parquet");
      Sql.exec(
          c,
          "COPY (SELECT * FROM (VALUES (1.0, 2.0, NULL, true, 3.0), (2.0, 1.0, 1.0, false, 3.0),"
              + " (3.0, 'inf'::DOUBLE, 2.0, true, 3.0), (4.0, 3.0, 2.0, true, 3.0),"
              + " (5.0, 5.0, 7.0, false, 3.0), (6.0, 4.0, 3.0, true, 3.0)) v(a, b, t, k, z)) TO '"
              + out
              + "' (FORMAT parquet)");
      List<String> columns = List.of("a", "b", "t", "k", "z");

      List<String> all = List.of(Dataset.own(out, null));
      List<String> halves =
          List.of(
              Dataset.own(out, new Dataset.RowRange(0, 3)),
              Dataset.own(out, new Dataset.RowRange(3, 6)));

      var whole = Correlations.with(c, all, all, 6, columns, "t");
      var parts = Correlations.with(c, halves, halves, 6, columns, "t");
      // the rows with a NaN, a NULL or an infinite value looked for where they are not: found
      // anyway
      var missed = Correlations.with(c, halves, List.of(halves.get(1)), 6, columns, "t");

      assertThat(whole).containsOnlyKeys(columns);
      assertThat(whole.get("a")).isCloseTo(0.6067798762169179, within(1e-12));
      assertThat(whole.get("b")).isCloseTo(0.8720166746656904, within(1e-12));
      assertThat(whole.get("t")).isEqualTo(1.0);
      assertThat(whole.get("k")).isCloseTo(-0.38924947208076144, within(1e-12));
      assertThat(whole.get("z")).as("a constant has no correlation").isNull();
      assertThat(parts.get("a")).isCloseTo(whole.get("a"), within(1e-14));
      assertThat(parts.get("b")).isCloseTo(whole.get("b"), within(1e-14));
      assertThat(missed).isEqualTo(parts);
    }
  }

  /**
   * Rows where only some features are finite are read from the row groups the footer cannot clear,
   * and only from them: a file of 20,000 rows in groups of 2,048 with NULLs in the first 4 rows and
   * an infinite value in row 10,000 has two such groups. Columns not asked about do not count.
   */
  @Test
  void onlyRowGroupsWhoseStatisticsShowAGapAreRead() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Path out = dir.resolve("gaps.parquet");
      Sql.exec(
          c,
          "COPY (SELECT t::DOUBLE AS a, CASE WHEN t < 4 THEN NULL ELSE sin(t) END AS b,"
              + " CASE WHEN t = 10000 THEN 'inf'::DOUBLE ELSE cos(t) END AS c, 'x' AS label"
              + " FROM range(20000) r(t)) TO '"
              + out
              + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");

      assertThat(Correlations.suspectRowGroups(c, out, List.of("a", "b", "c")))
          .containsExactly(new long[] {0, 2048}, new long[] {8192, 10240});
      assertThat(Correlations.suspectRowGroups(c, out, List.of("a"))).isEmpty();

      List<Feature> features = features("a", "b", "c");
      var m = FeaturesTask.correlations(c, out, 20000, features, 3000);
      Map<String, Object> corr =
          Sql.row(
              c,
              "SELECT corr(a, b) FILTER (WHERE b IS NOT NULL) AS ab,"
                  + " corr(a, c) FILTER (WHERE isfinite(c)) AS ac FROM '"
                  + out
                  + "'");
      assertThat(m.get("a").get("b")).isCloseTo((Double) corr.get("ab"), within(1e-12));
      assertThat(m.get("a").get("c")).isCloseTo((Double) corr.get("ac"), within(1e-12));
    }
  }

  /** Summed in parts merged in a fixed order: the same bits on one thread as on two. */
  @Test
  void theSameBitsOnAnyNumberOfThreads() throws Exception {
    List<Object> seen = new java.util.ArrayList<>();
    for (int threads = 1; threads <= 2; threads++) {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
        Sql.exec(c, "SET threads = " + threads);
        Path input = dir.resolve("in" + threads + ".parquet");
        Path out = dir.resolve("out" + threads + ".parquet");
        Sql.exec(
            c,
            "COPY (SELECT t, sin(t) * 1e3 + 5 AS x FROM range(5000) r(t)) TO '"
                + input
                + "' (FORMAT parquet, ROW_GROUP_SIZE 128)");
        Sql.exec(
            c,
            "COPY (SELECT x * 0.3 + cos(t) AS a, sqrt(abs(x)) + sin(t * 7) AS b FROM '"
                + input
                + "') TO '"
                + out
                + "' (FORMAT parquet, ROW_GROUP_SIZE 128)");
        List<Feature> features = features("a", "b");
        seen.add(FeaturesTask.correlations(c, out, 5000, features, 300));
      }
    }
    assertThat(seen.get(1)).isEqualTo(seen.get(0));
  }
}
