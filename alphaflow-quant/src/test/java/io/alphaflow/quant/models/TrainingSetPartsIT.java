package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Moments;
import io.alphaflow.quant.data.Sql;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link TrainingSet} read in parts (side by side, each part's sums merged) answers every
 * question as one scan of all rows does: in time order, shuffled, and as a label beside its
 * features.
 */
class TrainingSetPartsIT {
  @TempDir Path dir;

  /** 3 symbols per minute for 400 minutes; x2 missing now and then; rows in {@code order}. */
  private Path data(Connection c, String order) throws Exception {
    Path file = dir.resolve("rows.parquet");
    Sql.exec(
        c,
        "COPY (SELECT TIMESTAMP '2024-01-02 09:30' + to_minutes(t) AS ts, 'S' || s AS sym,"
            + " sin(t * 0.7 + s) + 100 AS x1,"
            + " CASE WHEN t % 17 = 3 THEN NULL ELSE cos(t * 0.3) * (s + 1) END AS x2,"
            + " 2 * sin(t * 0.7 + s) - cos(t * 0.3) + 0.01 * s + 50 AS y"
            + " FROM range(400) a(t), range(3) b(s) ORDER BY "
            + order
            + ") TO '"
            + file
            + "' (FORMAT parquet, ROW_GROUP_SIZE 100)");
    return file;
  }

  /** The same rows as {@link #data}'s, y written alone beside the other columns (as label does). */
  private Path layered(Connection c) throws Exception {
    Path base = dir.resolve("base.parquet");
    Path label = dir.resolve("label.parquet");
    Path all = data(c, "ts, sym");
    Sql.exec(
        c, "COPY (SELECT * EXCLUDE (y) FROM '" + all + "') TO '" + base + "' (FORMAT parquet)");
    Sql.exec(
        c,
        "COPY (SELECT y FROM '"
            + all
            + "') TO '"
            + label
            + "' (FORMAT parquet, ROW_GROUP_SIZE 64)");
    Json.write(
        Dataset.metadataFile(label, Dataset.METADATA_FILE),
        Map.of(Dataset.ADDS_COLUMNS_TO, Dataset.addsColumnsTo(base, 1200)));
    return label;
  }

  private TrainingSet set(Connection c, Path file, long partRows) throws Exception {
    return new TrainingSet(c, file, List.of("x1", "x2"), "y", "ts", "sym", true, partRows, null);
  }

  /**
   * 37 rows a part: parts end inside a minute's three rows and inside row groups. 7 rows a part
   * would be 172 parts, more than {@link Dataset#MAX_PARTS}: they double to 43 parts of 28 rows.
   */
  @ParameterizedTest
  @CsvSource({
    "time order, 37",
    "shuffled, 37",
    "label beside its features, 37",
    "time order, 7",
    "label beside its features, 7"
  })
  void partsAnswerAsOneScanDoes(String layout, long partRows) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Path file =
          switch (layout) {
            case "time order" -> data(c, "ts, sym");
            case "shuffled" -> data(c, "hash(ts, sym)");
            default -> layered(c);
          };
      TrainingSet whole = set(c, file, Long.MAX_VALUE);
      TrainingSet parts = set(c, file, partRows);
      assertThat(Dataset.parts(file, 1200, partRows)).hasSize(partRows == 37 ? 33 : 43);

      assertThat(parts.rows()).isEqualTo(whole.rows()).isEqualTo(1200 - 3 * 24);
      assertThat(parts.droppedRows()).isEqualTo(whole.droppedRows()).isEqualTo(3 * 24);
      double[] fractions = {0.05, 0.2, 1 - 0.2, 1.0 / 3, 0.5, 0.999};
      assertThat(parts.quantiles(fractions)).containsExactly(whole.quantiles(fractions));
      long[] at = whole.quantiles(fractions);
      for (int steps = 0; steps <= 5; steps++) {
        assertThat(parts.stepsBefore(at, steps)).containsExactly(whole.stepsBefore(at, steps));
      }

      Split split = Split.parse(Map.of("method", "walk_forward", "folds", 4, "embargo", 2));
      List<Fold> folds = FoldPlanner.plan(parts, split, 2, true);
      assertThat(folds).isEqualTo(FoldPlanner.plan(whole, split, 2, true)).hasSize(4);
      for (Fold f : folds) {
        for (String where : List.of(f.trainWhere(), f.testWhere(), FoldPlanner.ALL)) {
          assertThat(parts.count(where)).isEqualTo(whole.count(where));
          assertThat(parts.range(where)).isEqualTo(whole.range(where));
          assertSameMoments(parts.moments(where), direct(c, where));
          assertSameMoments(whole.moments(where), direct(c, where));
        }
        // the rows a fold's test reads: all of its rows, and in time order no part before it
        String rows = parts.rowsIn(List.of(new long[] {f.testFrom(), f.testTo()}));
        assertThat(Sql.count(c, "(SELECT * FROM " + rows + " WHERE " + f.testWhere() + ")"))
            .isEqualTo(whole.count(f.testWhere()));
        if (!layout.equals("shuffled")) {
          assertThat(Sql.count(c, rows)).isLessThan(whole.rows());
        }
      }
    }
  }

  /** Moments straight from DuckDB's covar_pop over the rows of {@code where}. */
  private static Moments direct(Connection c, String where) throws Exception {
    List<String> cols = List.of("x1", "x2", "__y");
    StringBuilder sql = new StringBuilder("SELECT count(*) AS n");
    for (int i = 0; i < cols.size(); i++) {
      sql.append(", avg(").append(cols.get(i)).append(") AS m").append(i);
      for (int j = 0; j < cols.size(); j++) {
        sql.append(", covar_pop(").append(cols.get(i)).append(", ").append(cols.get(j));
        sql.append(") AS c").append(i).append(j);
      }
    }
    Map<String, Object> r = Sql.row(c, sql + " FROM train_src WHERE " + where);
    long n = ((Number) r.get("n")).longValue();
    double[] mean = new double[3];
    double[][] m = new double[3][3];
    for (int i = 0; i < 3; i++) {
      mean[i] = ((Number) r.get("m" + i)).doubleValue();
      for (int j = 0; j < 3; j++) {
        m[i][j] = ((Number) r.get("c" + i + j)).doubleValue() * n;
      }
    }
    return new Moments(n, mean, m);
  }

  private static void assertSameMoments(Moments actual, Moments expected) {
    assertThat(actual.n()).isEqualTo(expected.n());
    for (int i = 0; i < 3; i++) {
      assertThat(actual.mean()[i]).isCloseTo(expected.mean()[i], within(1e-9));
      for (int j = 0; j < 3; j++) {
        assertThat(actual.comoment()[i][j])
            .as("co-moment %d,%d", i, j)
            .isCloseTo(expected.comoment()[i][j], within(1e-9 * expected.n()));
      }
    }
  }

  /**
   * Each part summed on one thread and merged in part order: the same bits on one thread as on
   * several, for a label beside its features and for a plain file whose parts span row groups.
   */
  @ParameterizedTest
  @ValueSource(strings = {"label beside its features", "one file"})
  void theSameSumsOnAnyNumberOfThreads(String layout) throws Exception {
    Moments[] seen = new Moments[2];
    for (int threads = 1; threads <= 2; threads++) {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
        Sql.exec(c, "SET threads = " + threads);
        Path file = layout.equals("one file") ? data(c, "ts, sym") : layered(c);
        // a summarized window's moments are the parts' sums, merged
        TrainingSet s = set(c, file, 400);
        s.summarize(Map.of(FoldPlanner.ALL, new long[] {Long.MIN_VALUE, Long.MAX_VALUE}), true);
        seen[threads - 1] = s.moments(FoldPlanner.ALL);
        assertThat(Sql.row(c, "SELECT current_setting('threads') AS n").get("n"))
            .as("DuckDB's threads are as they were")
            .isEqualTo((long) threads);
      }
    }
    assertThat(seen[1].mean()).containsExactly(seen[0].mean());
    for (int i = 0; i < 3; i++) {
      assertThat(seen[1].comoment()[i]).containsExactly(seen[0].comoment()[i]);
    }
  }

  /** The rank a part search uses is the one DuckDB's quantile_disc picks, for any row count. */
  @Test
  void rankIsQuantileDiscs() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      for (long n : new long[] {1, 2, 3, 7, 10, 11, 97, 1000, 4099}) {
        for (double f : new double[] {0.0, 0.05, 0.2, 1 - 0.2, 1.0 / 3, 2.0 / 3, 0.5, 0.999, 1}) {
          BigDecimal q = new BigDecimal(Double.toString(f));
          long duck =
              ((Number)
                      Sql.row(
                              c,
                              "SELECT quantile_disc(i, "
                                  + q.toPlainString()
                                  + ") AS q FROM range("
                                  + n
                                  + ") t(i)")
                          .get("q"))
                  .longValue();
          assertThat(TrainingSet.rank(n, q)).as("n %d, fraction %s", n, q).isEqualTo(duck);
        }
      }
    }
  }
}
