package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.alphaflow.core.flow.InvalidFlowException;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.core.testkit.TestFlows;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.FileHashes;
import io.alphaflow.quant.data.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelIT {
  @TempDir Path dir;
  private QuantRuns runs;

  @BeforeEach
  void setUp() {
    runs = new QuantRuns(dir.resolve("home"));
  }

  /**
   * MSFT's daily prices, their 5-day mean close as the feature, then a label of {@code
   * labelConfig}.
   */
  private static String flow(String labelConfig) {
    return flow(
        QuantRuns.data("msft_daily_ohlcv.csv"), "{fn: ma, column: close, window: 5}", labelConfig);
  }

  /** The CSV {@code csv} (with a date column), {@code feature} of it, then a label. */
  private static String flow(Path csv, String feature, String labelConfig) {
    return """
        name: l
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: date}}
          - id: features
            type: features
            depends_on: [ingest]
            config: {input: "${tasks.ingest.output_dir}", time_column: date, features: [%s]}
          - id: label
            type: label
            depends_on: [features]
            config: {input: "${tasks.features.output_dir}", %s}
        """
        .formatted(csv, feature, labelConfig);
  }

  @Test
  void forwardReturnAtTUsesOnlyLaterRowsAndTheLastRowsHaveNone() {
    var r = runs.run(flow("column: close, horizon: 2"));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    List<Map<String, Object>> rows =
        QuantRuns.query("SELECT close, label FROM " + runs.rows("label") + " ORDER BY date");
    List<Map<String, Object>> prices =
        QuantRuns.query(
            "SELECT close FROM " + runs.file("ingest", "data.parquet") + " ORDER BY date");
    assertThat(rows).hasSize(249);
    for (int t : new int[] {0, 100, 246}) {
      double expected =
          (Double) prices.get(t + 2).get("close") / (Double) prices.get(t).get("close") - 1;
      assertThat((Double) rows.get(t).get("label")).isCloseTo(expected, offset(1e-12));
    }
    assertThat(rows.subList(247, 249)).extracting(m -> m.get("label")).containsOnlyNulls();
    assertThat(runs.task("label").outputs()).containsEntry("rows", "247");
  }

  /**
   * The label file holds the label alone, row for row with the features it labels; the whole rows
   * are read through its metadata, and a features file that is gone or changed is named.
   */
  @Test
  void theLabelFileHoldsTheLabelAloneBesideItsInputsRows() throws Exception {
    var r = runs.run(flow("column: close, horizon: 2"));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Path labels = runs.out("label").resolve("data.parquet");
    Path features = runs.out("features").resolve("data.parquet");
    assertThat(QuantRuns.query("DESCRIBE SELECT * FROM '" + labels + "'"))
        .extracting(m -> m.get("column_name"))
        .containsExactly("label");
    assertThat(QuantRuns.scalar("SELECT count(*) FROM '" + labels + "'"))
        .isEqualTo(QuantRuns.scalar("SELECT count(*) FROM '" + features + "'"));
    Map<String, Object> meta = Json.read(runs.out("label").resolve("metadata.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> input = (Map<String, Object>) meta.get(Dataset.ADDS_COLUMNS_TO);
    assertThat(input)
        .containsEntry("path", features.toAbsolutePath().toString())
        .containsEntry("rows", 249);
    assertThat(meta).containsEntry("rows_out", 247).containsEntry("rows_without_label", 2);
    assertThat(QuantRuns.query("DESCRIBE SELECT * FROM " + runs.rows("label")))
        .extracting(m -> m.get("column_name"))
        .containsExactly("date", "open", "high", "low", "close", "volume", "close_ma_5", "label");

    Files.write(features, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> runs.rows("label"))
        .isInstanceOf(TaskFailure.class)
        .hasMessageContaining("adds columns to the rows of " + features.toAbsolutePath())
        .hasMessageContaining("which has changed since")
        .hasMessageContaining("rerun the task that wrote");
    Files.delete(features);
    assertThatThrownBy(() -> runs.rows("label"))
        .isInstanceOf(TaskFailure.class)
        .hasMessageContaining(
            "holds only the columns its task added to the rows of " + features.toAbsolutePath())
        .hasMessageContaining("which is gone");
  }

  /**
   * Train's data hash covers what a model learns from: the same labels on other features differ.
   */
  @Test
  void theHashOfTheWholeRowsCoversTheFeaturesAsWellAsTheLabel() {
    runs.run(flow("column: close, horizon: 2"));
    Path label5 = runs.out("label").resolve("data.parquet");
    String rows5 = Dataset.contentHash(label5);
    String file5 = FileHashes.of(label5);
    runs.run(flow("column: close, horizon: 2").replace("window: 5", "window: 10"));
    Path label10 = runs.out("label").resolve("data.parquet");
    assertThat(FileHashes.of(label10)).as("the label values are the same").isEqualTo(file5);
    assertThat(Dataset.contentHash(label10)).isNotEqualTo(rows5);
    assertThat(Dataset.files(label10))
        .containsExactly(
            runs.out("ingest").resolve("data.parquet"),
            runs.out("features").resolve("data.parquet"),
            label10);
  }

  @Test
  void directionAndAboveMedianAreBinary() {
    runs.run(flow("column: close, kind: direction"));
    assertThat(
            QuantRuns.query(
                "SELECT DISTINCT label FROM " + runs.rows("label") + " ORDER BY 1 NULLS FIRST"))
        .extracting(m -> m.get("label"))
        .as("the last row has no next day: a NULL label")
        .containsExactly(null, 0, 1);
    runs.run(flow("column: close, kind: above_median"));
    double share =
        ((Number) QuantRuns.scalar("SELECT avg(label) FROM " + runs.rows("label"))).doubleValue();
    assertThat(share).isCloseTo(0.5, offset(0.01));
    assertThat(
            QuantRuns.scalar(
                "SELECT count(*) FROM "
                    + runs.rows("label")
                    + " WHERE label <> CAST(label_value > (SELECT median(label_value) FROM "
                    + runs.rows("label")
                    + ") AS INTEGER)"))
        .as("label_value holds the forward return the label splits")
        .isEqualTo(0L);
  }

  @Test
  void aLabelNameTheInputAlreadyHasIsRefusedNamingTheColumn() {
    assertThat(runs.run(flow("column: close, kind: above_median, name: close")).state())
        .isEqualTo(RunState.FAILED);
    assertThat(runs.task("label").error())
        .contains("the input already has a column 'close'")
        .contains("set name to another label name");
    // above_median also writes <name>_value, here already a feature
    String taken =
        flow(
            QuantRuns.data("msft_daily_ohlcv.csv"),
            "{name: up_value, sql: close * 2}",
            "column: close, kind: above_median, name: up");
    assertThat(runs.run(taken).state()).isEqualTo(RunState.FAILED);
    assertThat(runs.task("label").error()).contains("the input already has a column 'up_value'");
  }

  @Test
  void aLabelThatDoesNotLookForwardIsRefused() {
    assertThatThrownBy(() -> TestFlows.parse(flow("column: close, horizon: 0")))
        .hasMessageContaining("does not look forward");
  }

  /**
   * A horizon and kind a run param gives load as any template does, and are checked once they
   * resolve: a negative horizon would label each row with a past value, an unknown kind was read as
   * a forward return.
   */
  @Test
  void aHorizonOrKindFromAParamIsCheckedWhenItResolves() {
    String yaml =
        "params: {h: {type: string, default: \"2\"}, kind: {type: string, default: direction}}\n"
            + flow("column: close, horizon: \"${params.h}\", kind: \"${params.kind}\"");
    var r = runs.run(yaml);
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(runs.task("label").outputs()).containsEntry("rows", "247"); // two rows ahead

    Map<Map<String, String>, String> refused =
        Map.of(
            Map.of("h", "-1"), "horizon -1 does not look forward",
            Map.of("h", "0"), "horizon 0 does not look forward",
            Map.of("h", "two"), "horizon must be a whole number of rows, was 'two'",
            Map.of("kind", "drection"), "unknown label kind 'drection'");
    refused.forEach(
        (params, message) ->
            assertThatThrownBy(() -> runs.run(yaml, params))
                .as(message)
                .hasMessageContaining("task 'label' (label), with the params given:")
                .hasMessageContaining(message));
  }

  /**
   * The leakage guard sees the horizon a param gives before the run: the value now (horizon 0)
   * labels each row with the very close its 5-day mean reads.
   */
  @Test
  void theLeakageGuardSeesAHorizonFromAParamBeforeTheRun() {
    String yaml =
        "params: {h: {type: string, default: \"1\"}}\n"
            + flow("column: close, kind: value, horizon: \"${params.h}\"");
    assertThat(runs.run(yaml).state()).isEqualTo(RunState.SUCCEEDED);

    assertThatThrownBy(() -> runs.run(yaml, Map.of("h", "0")))
        .hasMessageContaining("task 'label' (label), with the params given: column: leakage")
        .hasMessageContaining("close_ma_5");
  }

  /** Seed 000 regresses S_LI_INITIATIVESELLRATE on features built from it: the guard names them. */
  @Test
  void seed000sLeakIsAValidationErrorNamingTheFeatures() throws Exception {
    String seed000 = Files.readString(Path.of("..", "examples", "hft_factor_leakage.yaml"));
    InvalidFlowException e =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            InvalidFlowException.class, () -> TestFlows.parse(seed000));
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .contains(
            "leakage from task 'features': feature 'buy_sell_ratio' reads S_LI_INITIATIVESELLRATE at t+0")
        .contains(
            "feature 'S_LI_INITIATIVESELLRATE_5min_ma' reads S_LI_INITIATIVESELLRATE at t-4..t+0")
        .contains("feature 'high_activity'")
        .doesNotContain("large_order_imbalance");
  }

  /** DuckDB matches names whatever their case, so the guard does too: CLOSE reads close. */
  @Test
  void aFeatureNamingTheLabelsColumnInAnotherCaseLeaks() {
    String nowcast =
        flow(
            QuantRuns.data("msft_daily_ohlcv.csv"),
            "{name: shouted, sql: \"CLOSE / lag(\\\"Close\\\") OVER w - 1\"}",
            "column: close, kind: value, horizon: 0, name: close_now");
    assertThatThrownBy(() -> TestFlows.parse(nowcast))
        .isInstanceOf(InvalidFlowException.class)
        .hasMessageContaining("feature 'shouted' reads close at t+0 and earlier rows");
  }

  /**
   * The guard reads a SQL feature's columns from DuckDB's parse of it, so a column whose name is
   * also a SQL word (count) is one it reads, when the flow loads as when it runs.
   */
  @Test
  void aColumnNamedLikeASqlWordIsReadToo() {
    String flow =
        flow(
            dir.resolve("trades.csv"),
            "{name: busy, sql: \"count > 10\"}",
            "column: count, kind: value, horizon: 0, name: count_now");
    assertThatThrownBy(() -> TestFlows.parse(flow))
        .isInstanceOf(InvalidFlowException.class)
        .hasMessageContaining("feature 'busy' reads count at t+0");
  }

  @Test
  void theGuardAlsoHoldsWhenTheLabelRunsAlone() {
    runs.run(
        """
        name: f
        tasks:
          - {id: gen, type: synthetic_orderflow, config: {rows: 500}}
          - {id: features, type: features, depends_on: [gen],
             config: {input: "${tasks.gen.output_dir}", time_column: timestamp, features: [{preset: seed000}]}}
        """);
    Path features = runs.out("features");
    var r =
        runs.run(
            """
        name: alone
        tasks:
          - {id: label, type: label, retry: {max_attempts: 1},
             config: {input: "%s", column: S_LI_INITIATIVESELLRATE, kind: value, horizon: 0}}
        """
                .formatted(features));
    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(runs.task("label").error()).contains("leakage: feature 'buy_sell_ratio'");
  }
}
