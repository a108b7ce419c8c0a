package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.alphaflow.core.run.RunState;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Features and labels take a streaming plan (lag()/lead() OVER () in file order, no sort) when the
 * upstream metadata says the rows are in (symbol, time) order, and a sorted window plan otherwise.
 * The two must give the same values, NULLs included, at symbol boundaries, over gaps of missing
 * values, and on files with many row groups (which DuckDB scans on several threads).
 */
class StreamingOrderIT {
  private static final String FEATURES =
      """
      [{fn: ma, column: px, window: 5}, {fn: ma, column: px, window: 20}, {fn: lags, column: px, lags: 3},
       {fn: return, column: px, periods: 2}, {fn: log_return, column: px}, {name: spread, sql: "px - vol / 1000"}]
      """
          .strip();

  @TempDir Path dir;
  private QuantRuns runs;
  private Path unsorted;
  private Path sorted;

  @BeforeEach
  void setUp() throws Exception {
    runs = new QuantRuns(dir.resolve("home"));
    // three symbols, 20,000 rows each, some prices missing, small row groups: once shuffled, and
    // once in (symbol, time) order with the metadata promising it
    unsorted = Files.createDirectories(dir.resolve("plain"));
    sorted = Files.createDirectories(dir.resolve("promised"));
    String data =
        "SELECT s AS sym, TIMESTAMP '2024-01-01' + to_seconds(i) AS ts,"
            + " CASE WHEN i % 997 BETWEEN 10 AND 12 THEN NULL ELSE 100 + sin(i / 50.0) * 5 + s * 10 END AS px,"
            + " (i * 7919) % 1000 AS vol"
            + " FROM range(3) r(s), range(20000) t(i) ORDER BY ";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      for (Path d : List.of(unsorted, sorted)) {
        st.execute(
            "COPY ("
                + data
                + (d.equals(sorted) ? "sym, ts" : "hash(i * 3 + s)")
                + ") TO '"
                + d.resolve("data.parquet")
                + "' (FORMAT parquet, ROW_GROUP_SIZE 2048)");
      }
    }
    Json.write(sorted.resolve("metadata.json"), Map.of("sorted_by", List.of("sym", "ts")));
  }

  private String flow(Path input) {
    return """
        name: s
        tasks:
          - id: features
            type: features
            config: {input: "%1$s", time_column: ts, symbol_column: sym, features: %2$s}
          - id: label
            type: label
            config: {input: "%1$s", time_column: ts, symbol_column: sym, column: px, horizon: 2}
        """
        .formatted(input.resolve("data.parquet"), FEATURES);
  }

  private Path runOn(Path input, String name) throws Exception {
    var r = runs.run(flow(input));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Path out = Files.createDirectories(dir.resolve(name));
    Files.copy(runs.out("features").resolve("data.parquet"), out.resolve("features.parquet"));
    Files.copy(runs.out("label").resolve("data.parquet"), out.resolve("label.parquet"));
    Files.copy(
        runs.out("features").resolve("feature_metadata.json"),
        out.resolve("features.feature_metadata.json"));
    // the label file holds the label only; beside it, under the name Dataset.scan looks for, the
    // metadata naming the input whose rows it labels
    Files.copy(runs.out("label").resolve("metadata.json"), out.resolve("label.metadata.json"));
    return out;
  }

  @Test
  void theStreamingPlanGivesTheSortedPlansValuesInTheSameOrder() throws Exception {
    Path a = runOn(unsorted, "a");
    Path b = runOn(sorted, "b");
    assertThat(Json.read(a.resolve("features.feature_metadata.json")))
        .containsEntry("plan", "sorted window");
    assertThat(Json.read(b.resolve("features.feature_metadata.json")))
        .containsEntry("plan", "streaming (input already in order)");
    assertThat(Json.read(a.resolve("label.metadata.json"))).containsEntry("plan", "sorted window");
    assertThat(Json.read(b.resolve("label.metadata.json")))
        .containsEntry("plan", "streaming (input already in order)");
    // features and labels keep their input's rows in their order, so each promises what its
    // input did: the sorted plan ran on shuffled rows, which it wrote back in their order
    for (String meta : List.of("features.feature_metadata.json", "label.metadata.json")) {
      assertThat(Json.read(a.resolve(meta))).doesNotContainKey("sorted_by");
      assertThat(Json.read(b.resolve(meta))).containsEntry("sorted_by", List.of("sym", "ts"));
    }

    for (String file : List.of("features.parquet", "label.parquet")) {
      String left = Dataset.scan(a.resolve(file));
      String right = Dataset.scan(b.resolve(file));
      assertThat(QuantRuns.scalar("SELECT count(*) FROM " + right))
          .isEqualTo(QuantRuns.scalar("SELECT count(*) FROM " + left));
      List<String> columns =
          QuantRuns.query("DESCRIBE SELECT * FROM " + left).stream()
              .map(m -> String.valueOf(m.get("column_name")))
              .filter(c -> !c.equals("sym") && !c.equals("ts"))
              .toList();
      for (String col : columns) {
        Map<String, Object> diff =
            QuantRuns.query(
                    "SELECT count(*) FILTER (WHERE (x.\"%1$s\" IS NULL) <> (y.\"%1$s\" IS NULL)) AS null_mismatch,"
                            .formatted(col)
                        + " coalesce(max(abs(x.\"%1$s\" - y.\"%1$s\")), 0) AS max_diff,"
                            .formatted(col)
                        + " count(x.\"%1$s\") AS present FROM %2$s x JOIN %3$s y USING (sym, ts)"
                            .formatted(col, left, right))
                .get(0);
        assertThat(((Number) diff.get("null_mismatch")).longValue()).as(file + " " + col).isZero();
        assertThat(((Number) diff.get("max_diff")).doubleValue())
            .as(file + " " + col)
            .isLessThan(1e-9);
        assertThat(((Number) diff.get("present")).longValue()).as(file + " " + col).isPositive();
      }
      // written in (symbol, time) order, as promised to the next task
      assertThat(
              QuantRuns.scalar(
                  "SELECT count(*) FROM (SELECT sym, ts, lag(sym) OVER () AS ps, lag(ts) OVER () AS pt"
                      + " FROM "
                      + right
                      + ") WHERE ps > sym OR (ps = sym AND pt >= ts)"))
          .isEqualTo(0L);
    }
    // a moving average never reaches across a symbol boundary
    assertThat(
            QuantRuns.scalar(
                "SELECT count(px_ma_5) FROM (SELECT *, row_number() OVER (PARTITION BY sym ORDER BY ts) AS k FROM "
                    + Dataset.scan(b.resolve("features.parquet"))
                    + ") WHERE k <= 4"))
        .isEqualTo(0L);
  }

  @Test
  void validatePromisesTimeOrderOnlyWhenNothingWasOutOfOrder() throws Exception {
    Path csv = dir.resolve("prices.csv");
    Files.writeString(
        csv, "ts,px\n2024-01-01 00:00:00,1.5\n2024-01-01 00:00:01,2.5\n2024-01-01 00:00:02,3.5\n");
    Path shuffled = dir.resolve("shuffled.csv");
    Files.writeString(
        shuffled,
        "ts,px\n2024-01-01 00:00:00,1.5\n2024-01-01 00:00:02,3.5\n2024-01-01 00:00:01,2.5\n");
    String flow =
        """
        name: v
        tasks:
          - {id: validate, type: validate, config: {input: "%s", timestamp_column: ts, max_bad_row_rate: 0.5, columns: {px: {type: double}}}}
        """;
    runs.run(flow.formatted(csv));
    assertThat(Json.read(runs.out("validate").resolve("metadata.json")))
        .containsEntry("sorted_by", List.of("ts"));
    runs.run(flow.formatted(shuffled));
    assertThat(runs.task("validate").outputs()).containsEntry("quarantined", "1");
    assertThat(Json.read(runs.out("validate").resolve("metadata.json")))
        .doesNotContainKey("sorted_by");
  }

  @Test
  void aRowWithoutATimeDoesNotHideTheRowsAroundItBeingOutOfOrder() throws Exception {
    Path csv = dir.resolve("gap.csv");
    Files.writeString(
        csv,
        "ts,px\n2024-01-01 00:00:02,1.5\n,2.5\n2024-01-01 00:00:01,3.5\n2024-01-01 00:00:03,4.5\n");
    runs.run(
        """
        name: v
        tasks:
          - {id: validate, type: validate, config: {input: "%s", timestamp_column: ts, max_bad_row_rate: 0.6, columns: {ts: {type: timestamp, nullable: false}}}}
        """
            .formatted(csv));

    assertThat(runs.task("validate").outputs()).containsEntry("quarantined", "2");
    assertThat(
            QuantRuns.scalar(
                "SELECT string_agg(reason, ' | ' ORDER BY source_row) FROM '"
                    + runs.out("validate").resolve("quarantine.parquet")
                    + "'"))
        .isEqualTo("null ts | timestamp out of order");
    assertThat(Json.read(runs.out("validate").resolve("metadata.json")))
        .doesNotContainKey("sorted_by");
  }
}
