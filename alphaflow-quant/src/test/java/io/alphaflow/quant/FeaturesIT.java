package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.alphaflow.core.run.RunState;
import io.alphaflow.core.testkit.TestFlows;
import io.alphaflow.quant.data.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesIT {
  @TempDir Path dir;
  private QuantRuns runs;

  @BeforeEach
  void setUp() {
    runs = new QuantRuns(dir.resolve("home"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void seed000FactorsMatchTheSeedsDefinitions() throws Exception {
    var r =
        runs.run(
            """
        name: f
        tasks:
          - {id: gen, type: synthetic_orderflow, config: {rows: 2000, seed: 7}}
          - id: features
            type: features
            depends_on: [gen]
            config: {input: "${tasks.gen.output_dir}", time_column: timestamp, features: [{preset: seed000}]}
        """);
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    String data = runs.rows("features");
    List<Map<String, Object>> rows =
        QuantRuns.query("SELECT * FROM " + data + " ORDER BY timestamp LIMIT 6");
    assertThat(rows.get(0).get("S_LI_INITIATIVEBUYRATE_5min_ma")).isNull();
    assertThat(rows.get(3).get("S_LI_INITIATIVEBUYRATE_5min_ma")).isNull();
    double mean =
        rows.subList(1, 6).stream()
            .mapToDouble(x -> (Double) x.get("S_LI_INITIATIVEBUYRATE"))
            .average()
            .orElseThrow();
    assertThat((Double) rows.get(5).get("S_LI_INITIATIVEBUYRATE_5min_ma"))
        .isCloseTo(mean, offset(1e-12));
    Map<String, Object> row = rows.get(2);
    double buy = (Double) row.get("S_LI_INITIATIVEBUYRATE");
    double sell = (Double) row.get("S_LI_INITIATIVESELLRATE");
    assertThat((Double) row.get("buy_sell_ratio")).isCloseTo(buy / (sell + 1e-8), offset(1e-12));
    assertThat(row.get("large_order_imbalance"))
        .isEqualTo((Double) row.get("S_LI_LARGEBUYRATE") - (Double) row.get("S_LI_LARGESELLRATE"));
    assertThat(row.get("high_activity")).isEqualTo(buy + sell > 0.7 ? 1 : 0);

    Map<String, Object> meta = Json.read(runs.out("features").resolve("feature_metadata.json"));
    assertThat((List<?>) meta.get("features")).hasSize(5);
    // as seed 000's data_quality.null_rates: each 5-row mean has none for its first 4 rows
    assertThat((Map<String, Object>) meta.get("null_rates"))
        .containsExactly(
            Map.entry("buy_sell_ratio", 0.0),
            Map.entry("large_order_imbalance", 0.0),
            Map.entry("S_LI_INITIATIVEBUYRATE_5min_ma", 4 / 2000.0),
            Map.entry("S_LI_INITIATIVESELLRATE_5min_ma", 4 / 2000.0),
            Map.entry("high_activity", 0.0));
    Map<?, ?> corr = (Map<?, ?>) ((Map<?, ?>) meta.get("correlation")).get("buy_sell_ratio");
    assertThat(corr.get("buy_sell_ratio")).isEqualTo(1.0);
    assertThat((Double) corr.get("high_activity")).isBetween(-1.0, 1.0);
  }

  /**
   * The streaming plan sums the correlation matrix beside the copy that writes the features: the
   * matrix is DuckDB's corr() over the written rows where every feature is finite.
   */
  @Test
  void theStreamingPlansCorrelationsAreThoseOfTheWrittenFeatures() throws Exception {
    var r =
        runs.run(
            """
        name: f
        tasks:
          - {id: gen, type: synthetic_orderflow, config: {rows: 3000, seed: 11}}
          - id: validate
            type: validate
            depends_on: [gen]
            config: {input: "${tasks.gen.output_dir}", timestamp_column: timestamp, unique_key: [timestamp],
                     columns: {timestamp: {type: timestamp, nullable: false}}}
          - id: features
            type: features
            depends_on: [validate]
            config: {input: "${tasks.validate.output_dir}", time_column: timestamp, features: [{preset: seed000}]}
        """);
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> meta = Json.read(runs.out("features").resolve("feature_metadata.json"));
    assertThat(meta).containsEntry("plan", "streaming (input already in order)");
    Map<?, ?> corr = (Map<?, ?>) ((Map<?, ?>) meta.get("correlation")).get("buy_sell_ratio");
    Object direct =
        QuantRuns.scalar(
            "SELECT corr(buy_sell_ratio, S_LI_INITIATIVESELLRATE_5min_ma) FROM "
                + runs.rows("features")
                + " WHERE S_LI_INITIATIVEBUYRATE_5min_ma IS NOT NULL"
                + " AND S_LI_INITIATIVESELLRATE_5min_ma IS NOT NULL");
    assertThat((Double) corr.get("S_LI_INITIATIVESELLRATE_5min_ma"))
        .isCloseTo((Double) direct, offset(1e-12));
    // as pandas' df.corr(): two features that are never NULL correlate over every row, the first
    // 4 (where the moving averages are NULL) included
    Object allRows =
        QuantRuns.scalar(
            "SELECT corr(buy_sell_ratio, large_order_imbalance) FROM " + runs.rows("features"));
    assertThat((Double) corr.get("large_order_imbalance"))
        .isCloseTo((Double) allRows, offset(1e-12));
  }

  /**
   * {@code correlate_with} gives seed 000's {@code df.corr()['S_LI_INITIATIVESELLRATE']}: every
   * numeric input column and feature with it, each over the rows where both are finite (DuckDB's
   * corr() of those rows), summed in parts at 300,000 rows. A column that is not there fails the
   * task naming the ones that are.
   */
  @Test
  void correlateWithGivesEveryColumnsCorrelationWithOne() throws Exception {
    String yaml =
        """
        name: f
        tasks:
          - {id: gen, type: synthetic_orderflow, config: {rows: 300000, seed: 5}}
          - id: features
            type: features
            depends_on: [gen]
            config: {input: "${tasks.gen.output_dir}", time_column: timestamp, features: [{preset: seed000}],
                     correlate_with: %s}
        """;
    var r = runs.run(yaml.formatted("S_LI_INITIATIVESELLRATE"));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> meta = Json.read(runs.out("features").resolve("feature_metadata.json"));
    Map<?, ?> with = (Map<?, ?>) meta.get("correlation_with");
    assertThat(with.get("column")).isEqualTo("S_LI_INITIATIVESELLRATE");
    @SuppressWarnings("unchecked")
    Map<String, Object> values = (Map<String, Object>) with.get("values");
    assertThat(values.keySet())
        .contains("S_LI_INITIATIVEBUYRATE", "S_LI_LARGESELLRATE", "buy_sell_ratio", "high_activity")
        .doesNotContain("timestamp");
    assertThat(values.get("S_LI_INITIATIVESELLRATE")).isEqualTo(1.0);
    for (String column :
        List.of("S_LI_INITIATIVEBUYRATE", "buy_sell_ratio", "S_LI_INITIATIVEBUYRATE_5min_ma")) {
      Object direct =
          QuantRuns.scalar(
              "SELECT corr(\""
                  + column
                  + "\", S_LI_INITIATIVESELLRATE) FROM "
                  + runs.rows("features")
                  + " WHERE isfinite(\""
                  + column
                  + "\")");
      assertThat((Double) values.get(column)).as(column).isCloseTo((Double) direct, offset(1e-9));
    }

    var bad = runs.run(yaml.formatted("sell_rate"));
    assertThat(bad.state()).isEqualTo(RunState.FAILED);
    assertThat(runs.task("features").error())
        .contains("correlate_with 'sell_rate' is not a numeric column of the input or a feature")
        .contains("S_LI_INITIATIVESELLRATE");
  }

  /**
   * A file a flow names itself, not an upstream task's output, is part of the cache key by its
   * content: rewritten in place, the task runs again instead of serving the old file's features.
   */
  @Test
  void aFileTheFlowNamesItselfIsCachedByItsContent() throws Exception {
    Path input = dir.resolve("prices.parquet");
    String write =
        "COPY (SELECT TIMESTAMP '2024-01-01' + to_minutes(i) AS ts, i * %s AS x FROM range(%d) t(i))"
            + " TO '"
            + input
            + "' (FORMAT parquet)";
    String yaml =
        """
        name: own_file
        tasks:
          - id: features
            type: features
            config: {input: "%s", time_column: ts, features: [{fn: ma, column: x, window: 3}]}
        """
            .formatted(input);
    try (var store = new io.alphaflow.core.store.memory.InMemoryStore();
        var engine =
            io.alphaflow.core.execution.Engine.builder(store)
                .tasks(TestFlows.registry())
                .home(dir.resolve("cache-home"))
                .build()) {
      QuantRuns.exec(write.formatted("1.0", 100));
      var first = engine.run(TestFlows.parse(yaml), Map.of());
      var same = engine.run(TestFlows.parse(yaml), Map.of());
      QuantRuns.exec(write.formatted("2.0", 200));
      var rewritten = engine.run(TestFlows.parse(yaml), Map.of());

      assertThat(first.tasks().get(0).state()).isEqualTo(io.alphaflow.core.run.TaskState.SUCCEEDED);
      assertThat(same.tasks().get(0).state())
          .isEqualTo(io.alphaflow.core.run.TaskState.SKIPPED_CACHED);
      assertThat(rewritten.tasks().get(0).state())
          .isEqualTo(io.alphaflow.core.run.TaskState.SUCCEEDED);
      assertThat(rewritten.tasks().get(0).outputs()).containsEntry("rows", "200");
    }
  }

  @Test
  void seed001SetZscoreRsiAndSqlOnRealPrices() {
    var r =
        runs.run(
            """
        name: f
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: date}}
          - id: features
            type: features
            depends_on: [ingest]
            config:
              input: ${tasks.ingest.output_dir}
              time_column: date
              features:
                - {preset: seed001, column: close, lags: 2}
                - {fn: zscore, column: close, window: 20}
                - {fn: rsi, column: close, window: 14}
                - {name: range_pct, sql: "(high - low) / close"}
        """
                .formatted(QuantRuns.data("msft_daily_ohlcv.csv")));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    String data = runs.rows("features");
    List<Map<String, Object>> rows = QuantRuns.query("SELECT * FROM " + data + " ORDER BY date");
    assertThat(rows).hasSize(249);
    double ma20 =
        rows.subList(0, 20).stream()
            .mapToDouble(x -> (Double) x.get("close"))
            .average()
            .orElseThrow();
    assertThat(rows.get(18).get("close_ma_20")).isNull();
    assertThat((Double) rows.get(19).get("close_ma_20")).isCloseTo(ma20, offset(1e-9));
    assertThat(rows.get(5).get("close_lag_2")).isEqualTo(rows.get(3).get("close"));
    assertThat((Double) rows.get(1).get("close_ret_1"))
        .isCloseTo(
            (Double) rows.get(1).get("close") / (Double) rows.get(0).get("close") - 1,
            offset(1e-12));
    assertThat((Double) rows.get(1).get("close_logret_1"))
        .isCloseTo(
            Math.log((Double) rows.get(1).get("close") / (Double) rows.get(0).get("close")),
            offset(1e-12));
    assertThat(rows.get(19).get("close_vol_20")).isNull();
    assertThat((Double) rows.get(20).get("close_vol_20")).isPositive();
    assertThat(rows.get(13).get("close_rsi_14")).isNull();
    assertThat(rows.stream().skip(14).map(x -> (Double) x.get("close_rsi_14")))
        .allSatisfy(v -> assertThat(v).isBetween(0.0, 100.0));
    assertThat((Double) rows.get(30).get("range_pct")).isPositive();
  }

  @Test
  void aLookAheadSqlFeatureIsRefusedWhenTheFlowLoads() {
    assertThatThrownBy(
            () -> loadFeatures("[{name: peek, sql: \"lead(close) OVER (ORDER BY date)\"}]"))
        .hasMessageContaining("feature 'peek' looks ahead");
    // every bad entry of the list at once, not the first alone
    assertThatThrownBy(
            () ->
                loadFeatures(
                    "[{fn: ma, column: close, window: -3}, close_ma,"
                        + " {fn: rsi, column: close, window: abc}]"))
        .hasMessageContaining("3 problems")
        .hasMessageContaining("features[0]: 'window' must be a whole number of rows")
        .hasMessageContaining("features[1]: unknown feature 'close_ma'")
        .hasMessageContaining("features[2]: 'window' must be a whole number of rows");
  }

  /** A flow of ingest and features on MSFT's days, features with time column {@code date}. */
  private static String msftFeatures(String features, String timeColumn) {
    return """
        name: f
        params: {t: {type: string, default: date}}
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: date}}
          - id: features
            type: features
            depends_on: [ingest]
            config: {input: "${tasks.ingest.output_dir}", time_column: "%s", features: %s}
        """
        .formatted(QuantRuns.data("msft_daily_ohlcv.csv"), timeColumn, features);
  }

  /**
   * A window reads later rows in more ways than lead() and FOLLOWING: none is refused by those
   * words, each by DuckDB's parse of the feature. The flow check names them all; with the time
   * column a placeholder, the run does, before computing anything.
   */
  @Test
  void aSqlFeatureWhoseWindowReadsLaterRowsIsRefused() {
    String leaks =
        "[{name: demeaned, sql: \"close - avg(close) OVER ()\"},"
            + " {name: month_high, sql: \"max(high) OVER (PARTITION BY date_trunc('month', date))\"},"
            + " {name: tomorrow, sql: \"lag(close, 1) OVER (ORDER BY date DESC)\"},"
            + " {name: back_minus_one, sql: \"lag(close, -1) OVER w\"},"
            + " {name: by_price, sql: \"avg(volume) OVER (ORDER BY close)\"},"
            + " {name: pct, sql: \"percent_rank() OVER w\"},"
            + " {name: peek_max, sql: \"close / (SELECT max(close) FROM read_csv('x.csv'))\"},"
            + " {name: fine, sql: \"avg(close) OVER w5\"}]";
    String[] named = {
      "feature 'demeaned' looks ahead: avg() over a window with no ORDER BY spans its whole"
          + " partition",
      "feature 'month_high' looks ahead: max() over a window with no ORDER BY",
      "feature 'tomorrow' looks ahead: lag() orders rows newest first",
      "feature 'back_minus_one' looks ahead: lag() with the negative offset -1 reads later rows",
      "feature 'by_price' looks ahead: avg() orders its window by something other than time",
      "feature 'pct' looks ahead: percent_rank() divides by the partition's row count",
      "feature 'peek_max' looks ahead: a subquery reads rows other than the current one"
    };
    assertThatThrownBy(() -> TestFlows.parse(msftFeatures(leaks, "date")))
        .hasMessageContaining(named[0])
        .hasMessageContaining(named[1])
        .hasMessageContaining(named[2])
        .hasMessageContaining(named[3])
        .hasMessageContaining(named[4])
        .hasMessageContaining(named[5])
        .hasMessageContaining(named[6])
        .hasMessageContaining("order it by date")
        .hasMessageNotContaining("'fine'");

    // with the time column from a param, the same features are refused before the run
    assertThatThrownBy(() -> runs.run(msftFeatures(leaks, "${params.t}")))
        .hasMessageContaining("task 'features' (features), with the params given:")
        .hasMessageContaining(named[0])
        .hasMessageContaining(named[6])
        .hasMessageNotContaining("'fine'");
  }

  /**
   * A SQL feature may call functions and order or partition its own window by time: its reads are
   * the columns DuckDB's parse names, not every word (which took ORDER, BY and date_trunc for
   * missing columns).
   */
  @Test
  void aSqlFeatureWithItsOwnCausalWindowRunsAndReadsTheColumnsItNames() throws Exception {
    var r =
        runs.run(
            msftFeatures(
                "[{name: month_to_date, sql: \"avg(close) OVER (PARTITION BY date_trunc('month',"
                    + " date) ORDER BY date)\"}, {name: z5, sql: \"(close - avg(close) OVER w5) /"
                    + " stddev_samp(close) OVER w5\"}]",
                "date"));

    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> meta = Json.read(runs.out("features").resolve("feature_metadata.json"));
    List<?> described = (List<?>) meta.get("features");
    assertThat(reads(described.get(0))).containsExactlyInAnyOrder("close", "date");
    assertThat(reads(described.get(1))).containsExactly("close");
    List<Map<String, Object>> rows =
        QuantRuns.query(
            "SELECT date, close, month_to_date FROM "
                + runs.rows("features")
                + " WHERE date < DATE '2001-01-01' ORDER BY date");
    double sum = 0;
    int n = 0;
    Object month = null;
    for (Map<String, Object> row : rows) {
      Object m = row.get("date").toString().substring(0, 7);
      if (!m.equals(month)) {
        month = m;
        sum = 0;
        n = 0;
      }
      sum += (Double) row.get("close");
      n++;
      assertThat((Double) row.get("month_to_date")).isCloseTo(sum / n, offset(1e-9));
    }
    assertThat(rows).hasSizeGreaterThan(20);
  }

  /** The columns a feature of feature_metadata.json reads. */
  private static List<String> reads(Object feature) {
    return ((Map<?, ?>) ((Map<?, ?>) feature).get("reads"))
        .keySet().stream().map(String::valueOf).toList();
  }

  /** Loads a flow of one features task with this {@code features:} list. */
  private static void loadFeatures(String features) {
    TestFlows.parse(
        """
        name: f
        tasks:
          - id: features
            type: features
            config: {input: x, features: %s}
        """
            .formatted(features));
  }

  @Test
  void aMisspeltKeyOfAFeatureIsRefusedWithTheOneMeant() {
    assertThatThrownBy(
            () ->
                loadFeatures(
                    "[{preset: seed001, column: close, lag: 3}, {fn: ma, column: close, windw: 5},"
                        + " {fn: return, column: close, window: 5}, {name: r, sql: 'close', reads: x}]"))
        .hasMessageContaining("features[0]: this feature takes no 'lag' (did you mean 'lags'?")
        .hasMessageContaining("features[1]: this feature takes no 'windw' (did you mean 'window'?")
        .hasMessageContaining("features[2]: this feature takes no 'window'")
        .hasMessageContaining("features[3]: this feature takes no 'reads'");
  }

  /** DuckDB's conversion error comes back on every attempt: the flow's retries are not spent. */
  @Test
  void aSqlErrorNoRetryCanChangeFailsOnTheFirstAttempt() {
    runs.run(
        """
        name: f
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: date}}
          - {id: features, type: features, depends_on: [ingest], retry: {max_attempts: 3, base_delay: 10ms},
             config: {input: "${tasks.ingest.output_dir}", time_column: date, features: [{name: bad, sql: "CAST('x' || close AS INTEGER)"}]}}
        """
            .formatted(QuantRuns.data("msft_daily_ohlcv.csv")));
    assertThat(runs.task("features").state()).isEqualTo(io.alphaflow.core.run.TaskState.FAILED);
    assertThat(runs.task("features").attempt()).isEqualTo(1);
    assertThat(runs.task("features").error()).contains("Conversion Error");
  }

  @Test
  void missingInputColumnsAreNamed() {
    runs.run(
        """
        name: f
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s"}}
          - {id: features, type: features, depends_on: [ingest], retry: {max_attempts: 1},
             config: {input: "${tasks.ingest.output_dir}", features: [{preset: seed000}]}}
        """
            .formatted(QuantRuns.data("msft_daily_ohlcv.csv")));
    assertThat(runs.task("features").error())
        .contains("'buy_sell_ratio' needs column 'S_LI_INITIATIVEBUYRATE'");
  }
}
