package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import io.alphaflow.core.store.memory.InMemoryStore;
import io.alphaflow.core.task.CodeVersion;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.core.testkit.TestFlows;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.features.FeaturesTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.OLS;

/** train and evaluate on generated order flow, with the real engine and DuckDB. */
class ModelsIT {
  @TempDir Path home;

  private static final String FLOW =
      """
      name: m
      tasks:
        - {id: gen, type: synthetic_orderflow, config: {rows: 5000, seed: 3, signal: 0.6, interval: 1 minute}}
        - {id: features, type: features, depends_on: [gen], config: {input: "${tasks.gen.output_dir}", time_column: timestamp, features: [{preset: seed000}]}}
        - {id: label, type: label, depends_on: [features], config: {input: "${tasks.features.output_dir}", column: S_LI_INITIATIVESELLRATE, kind: value, horizon: 2, name: y}}
        - id: train
          type: train
          depends_on: [label]
          retry: {max_attempts: 1}
          config:
            input: ${tasks.label.output_dir}
            features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE, S_LI_INITIATIVESELLRATE_5min_ma]
            %s
        - {id: evaluate, type: evaluate, depends_on: [train], retry: {max_attempts: 1}, config: {input: "${tasks.train.output_dir}", %s}}
      """;

  /**
   * Generated order flow, seed 000's features and a value label y of the sell rate, a row ahead.
   */
  private static final String LEVEL_LABEL =
      """
      name: m
      tasks:
        - {id: gen, type: synthetic_orderflow, config: {rows: 6000, seed: 3, signal: 0.6, interval: 1 minute}}
        - {id: features, type: features, depends_on: [gen], config: {input: "${tasks.gen.output_dir}", time_column: timestamp, features: [{preset: seed000}]}}
        - {id: label, type: label, depends_on: [features], config: {input: "${tasks.features.output_dir}", column: S_LI_INITIATIVESELLRATE, kind: value, horizon: 1, name: y}}
      """;

  private RunResult run(String train, String evaluate) {
    return runFlow(FLOW.formatted(train.indent(6).strip(), evaluate));
  }

  private RunResult runFlow(String yaml) {
    try (InMemoryStore store = new InMemoryStore();
        Engine engine = Engine.builder(store).tasks(TestFlows.registry()).home(home).build()) {
      return engine.run(TestFlows.parse(yaml), Map.of());
    }
  }

  /** Generated order flow, an above_median label {@code up} on it, and train with {@code train}. */
  private static String aboveMedianFlow(String train) {
    return """
        name: m
        tasks:
          - {id: gen, type: synthetic_orderflow, config: {rows: 6000, seed: 3, signal: 0.6, interval: 1 minute}}
          - {id: label, type: label, depends_on: [gen], config: {input: "${tasks.gen.output_dir}", time_column: timestamp, column: S_LI_INITIATIVESELLRATE, kind: above_median, horizon: 1, name: up}}
          - id: train
            type: train
            depends_on: [label]
            retry: {max_attempts: 1}
            config:
              input: ${tasks.label.output_dir}
        %s
        """
        .formatted(train.indent(6).stripTrailing());
  }

  private Path out(RunResult r, String task) {
    return home.resolve("outputs").resolve(r.runId()).resolve(task);
  }

  private static Object scalar(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        var rs = c.createStatement().executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    }
  }

  private static TaskRunRecord task(RunResult r, String id) {
    return r.tasks().stream().filter(t -> t.taskId().equals(id)).findFirst().orElseThrow();
  }

  /**
   * Metadata is the same bytes run after run, so identical runs give identical artifact hashes: no
   * map whose key order depends on the process ({@code Map.of}).
   */
  @Test
  void metadataKeysComeInAFixedOrder() throws Exception {
    RunResult r = run("model: {type: linear_regression}", "ic_period: hour");
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(keys(Json.read(out(r, "train").resolve("model.json")).get("split")))
        .containsExactly("method", "embargo_steps", "refit_on_all_rows");
    assertThat(keys(Json.read(out(r, "evaluate").resolve("metrics.json")).get("gate")))
        .containsExactly("passed", "breaches", "thresholds");
    for (Object f :
        (List<?>) Json.read(out(r, "features").resolve("feature_metadata.json")).get("features")) {
      assertThat(keys(((Map<?, ?>) f).get("reads"))).isSorted();
    }
  }

  private static List<String> keys(Object map) {
    return ((Map<?, ?>) map).keySet().stream().map(String::valueOf).toList();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "split: {method: holdout, test_fraction: 0.2}",
        "split: {method: walk_forward, folds: 4, embargo: 2}"
      })
  void olsInOneDuckDbPassMatchesSmilesOls(String split) throws Exception {
    // a holdout fits its one training window; a walk-forward split's refit adds up the moments of
    // every interval between the folds' bounds
    RunResult r = run("model: {type: linear_regression}\n" + split, "ic_period: hour");
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> model = Json.read(out(r, "train").resolve("model.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> ours = (Map<String, Object>) model.get("coefficients");
    Map<?, ?> window = (Map<?, ?>) model.get("training_window");

    double[][] rows;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE, S_LI_INITIATIVESELLRATE_5min_ma, y FROM "
                        + Dataset.scan(out(r, "label").resolve("data.parquet"))
                        + " WHERE S_LI_INITIATIVESELLRATE_5min_ma IS NOT NULL AND y IS NOT NULL"
                        + " AND timestamp <= TIMESTAMP '"
                        + window.get("to")
                        + "' ORDER BY timestamp")) {
      List<double[]> list = new java.util.ArrayList<>();
      while (rs.next()) {
        list.add(new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4)});
      }
      rows = list.toArray(double[][]::new);
    }
    var smile = OLS.fit(Formula.lhs("y"), DataFrame.of(rows, "b", "lb", "ma", "y"));

    assertThat((Double) ours.get("intercept")).isCloseTo(smile.intercept(), within(1e-9));
    assertThat((Double) ours.get("S_LI_INITIATIVEBUYRATE"))
        .isCloseTo(smile.coefficients()[0], within(1e-9));
    assertThat((Double) ours.get("S_LI_INITIATIVESELLRATE_5min_ma"))
        .isCloseTo(smile.coefficients()[2], within(1e-9));
    // gathered in time order (the label's rows are), so written without a sort, and in order
    assertThat(
            scalar(
                "SELECT count(*) FROM (SELECT timestamp, lag(timestamp) OVER () AS p FROM '"
                    + out(r, "train").resolve("predictions.parquet")
                    + "') WHERE timestamp < p"))
        .isEqualTo(0L);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theSameInputsGiveTheSameModelBytes() throws Exception {
    String train =
        "kind: classification\nmodel: {type: logistic_regression, lambda: 0.1}\nseed: 11";
    RunResult a = run(train, "ic_period: hour");
    RunResult b = run(train, "ic_period: hour");

    assertThat(a.state()).as(a.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(task(a, "train").outputs().get("model_hash"))
        .isEqualTo(task(b, "train").outputs().get("model_hash"));
    // model.json shows the log-odds weights the model predicts with
    Map<String, Object> json = Json.read(out(a, "train").resolve("model.json"));
    Map<String, Object> coefficients = (Map<String, Object>) json.get("coefficients");
    double[] weights = ModelFiles.load(out(a, "train")).weights();
    assertThat(coefficients.keySet())
        .containsExactly(
            "intercept",
            "S_LI_INITIATIVEBUYRATE",
            "S_LI_LARGEBUYRATE",
            "S_LI_INITIATIVESELLRATE_5min_ma");
    assertThat(coefficients.get("intercept")).isEqualTo(weights[3]);
    assertThat(coefficients.get("S_LI_LARGEBUYRATE")).isEqualTo(weights[1]);
  }

  /**
   * A cached fit stays valid only while the code that made it does: DuckDB's and Smile's versions
   * count as well as our classes, and model.json says which they were.
   */
  @Test
  @SuppressWarnings("unchecked")
  void modelJsonSaysWhichCodeAndLibrariesFittedIt() throws Exception {
    RunResult r = run("model: {type: linear_regression}", "ic_period: hour");
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> json = Json.read(out(r, "train").resolve("model.json"));
    // the engine's own version, v1.4.2 for the driver 1.4.2.0
    String engine = ((String) scalar("SELECT version()")).replaceFirst("^v", "");

    Map<String, Object> madeWith = (Map<String, Object>) json.get("made_with");

    assertThat(json.get("code_version"))
        .isEqualTo(new TrainTask().codeVersion())
        .isNotEqualTo(CodeVersion.of(TrainTask.class));
    assertThat(madeWith)
        .containsEntry("alphaflow-quant", CodeVersion.of(TrainTask.class))
        .containsEntry("smile", OLS.class.getPackage().getImplementationVersion());
    assertThat((String) madeWith.get("duckdb")).startsWith(engine + ".");
    // the data tasks count DuckDB's version, not Smile's
    assertThat(new FeaturesTask().codeVersion())
        .isEqualTo(CodeVersion.of(FeaturesTask.class, DuckDBConnection.class));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "random_forest, classification",
    "random_forest, regression",
    "gradient_boosting, classification",
    "gradient_boosting, regression"
  })
  void treeEnsemblesGiveTheSameModelBytesFromTheSameInputs(String type, String kind)
      throws Exception {
    String train =
        "kind: %s\nmodel: {type: %s, trees: 20, subsample: 0.7}\nseed: 5".formatted(kind, type);
    RunResult a = run(train, "ic_period: hour");
    RunResult b = run(train, "ic_period: hour");
    RunResult other = run(train.replace("seed: 5", "seed: 6"), "ic_period: hour");

    assertThat(a.state()).as(a.error()).isEqualTo(RunState.SUCCEEDED);
    Object hash = task(a, "train").outputs().get("model_hash");
    assertThat(task(b, "train").outputs().get("model_hash")).isEqualTo(hash);
    assertThat(task(other, "train").outputs().get("model_hash"))
        .as("another seed draws other subsamples")
        .isNotEqualTo(hash);
    // each feature's share of the impurity the trees removed, as scikit-learn's
    // feature_importances_: the lagged moving average of the target's own column leads
    @SuppressWarnings("unchecked")
    Map<String, Object> importance =
        (Map<String, Object>)
            Json.read(out(a, "train").resolve("model.json")).get("feature_importance");
    assertThat(importance.keySet())
        .containsExactly(
            "S_LI_INITIATIVEBUYRATE", "S_LI_LARGEBUYRATE", "S_LI_INITIATIVESELLRATE_5min_ma");
    double sum = 0;
    for (Object v : importance.values()) {
      sum += ((Number) v).doubleValue();
    }
    assertThat(sum).isCloseTo(1.0, within(1e-9));
    assertThat((Double) importance.get("S_LI_INITIATIVESELLRATE_5min_ma"))
        .isGreaterThan((Double) importance.get("S_LI_LARGEBUYRATE"));
  }

  @Test
  void unstableTrainingIsARetryableFailureAndTheRetryUsesTheFallbackSeed() throws Exception {
    Path file = home.resolve("predictions.parquet");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      String rows =
          "SELECT * FROM (VALUES (0, 1::BIGINT, 0.1, 0.2), (0, 2, 0.3, 'NaN'::DOUBLE),"
              + " (0, 3, 0.2, 'inf'::DOUBLE)) t(fold, __t, actual, prediction)";
      Dataset.writeParquet(db, rows, file);
      assertThatThrownBy(() -> Predictions.checkFinite(db, file, 42))
          .isInstanceOfSatisfying(
              TaskFailure.class, f -> assertThat(f.failure().nonRetryable()).isFalse())
          .hasMessageContaining("unstable with seed 42: 2 predictions are NaN or infinite");
      Dataset.writeParquet(db, "SELECT * FROM (" + rows + ") WHERE isfinite(prediction)", file);
      Predictions.checkFinite(db, file, 42);
    }

    Map<String, Object> cfg = Map.of("seed", 11, "fallback_seed", 7);
    assertThat(TrainTask.seed(cfg, 1)).isEqualTo(11);
    assertThat(TrainTask.seed(cfg, 2)).isEqualTo(7);
    assertThat(TrainTask.seed(Map.of("seed", 11), 2))
        .as("no fallback: the same seed")
        .isEqualTo(11);
    assertThat(TrainTask.seed(Map.of(), 1)).isEqualTo(42);
  }

  /**
   * An above_median label splits at the whole input's median, future included. Train must split the
   * forward value at each training window's median instead, so no fold sees its test period.
   */
  @Test
  void anAboveMedianLabelIsSplitAtEachTrainingWindowsOwnMedian() throws Exception {
    RunResult r =
        runFlow(
            aboveMedianFlow(
                """
                features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE]
                model: {type: logistic_regression}
                split: {method: walk_forward, folds: 3, window: rolling, train_steps: 1000}
                """));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    String labelled = Dataset.scan(out(r, "label").resolve("data.parquet"));
    double whole =
        (Double) Json.read(out(r, "label").resolve("metadata.json")).get("median_threshold");
    List<?> folds = (List<?>) Json.read(out(r, "train").resolve("model.json")).get("folds");
    assertThat(folds).hasSize(3);
    for (Object o : folds) {
      Map<?, ?> fold = (Map<?, ?>) o;
      Map<?, ?> train = (Map<?, ?>) fold.get("train");
      Object windowMedian =
          scalar(
              "SELECT median(up_value) FROM "
                  + labelled
                  + " WHERE timestamp BETWEEN TIMESTAMP '"
                  + train.get("from")
                  + "' AND TIMESTAMP '"
                  + train.get("to")
                  + "'");
      assertThat((Double) fold.get("threshold")).isEqualTo((Double) windowMedian);
      assertThat((Double) fold.get("threshold")).isNotEqualTo(whole);
    }
  }

  @Test
  void aLabelColumnListedAsAFeatureIsRefusedAsLeakage() {
    for (String column : List.of("up_value", "up", "UP")) {
      RunResult r =
          runFlow(
              aboveMedianFlow(
                  "features: [S_LI_INITIATIVEBUYRATE, %s]\nmodel: {type: logistic_regression}"
                      .formatted(column)));
      assertThat(r.state()).isEqualTo(RunState.FAILED);
      assertThat(task(r, "train").error())
          .contains("feature '" + column + "' is a column of the label")
          .contains("remove it from features");
    }
  }

  @Test
  void walkForwardFoldsTestOnlyAfterTheirTrainingWindowWithTheLabelHorizonAsEmbargo()
      throws Exception {
    RunResult r =
        run(
            "model: {type: ridge, lambda: 0.1}\nsplit: {method: walk_forward, folds: 4, window: rolling, train_steps: 500}",
            "ic_period: hour");
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    List<?> folds = (List<?>) Json.read(out(r, "train").resolve("model.json")).get("folds");
    assertThat(folds).hasSize(4);
    for (Object o : folds) {
      Map<?, ?> f = (Map<?, ?>) o;
      java.time.LocalDateTime trainTo =
          java.time.LocalDateTime.parse(
              ((Map<?, ?>) f.get("train")).get("to").toString().replace(' ', 'T'));
      java.time.LocalDateTime testFrom =
          java.time.LocalDateTime.parse(
              ((Map<?, ?>) f.get("test")).get("from").toString().replace(' ', 'T'));
      // horizon 2 at one row per minute: two minutes left out between train and test
      assertThat(java.time.Duration.between(trainTo, testFrom).toMinutes()).isEqualTo(3);
      assertThat(((Number) f.get("train_rows")).longValue()).isEqualTo(500);
    }
    Map<String, Object> metrics = Json.read(out(r, "evaluate").resolve("metrics.json"));
    assertThat((List<?>) metrics.get("folds")).hasSize(4);
    Map<?, ?> overall = (Map<?, ?>) metrics.get("overall");
    assertThat(overall.get("ic_mean")).isNotNull();
    // the series the IC's mean and t-stat summarize, period by period, beside the metrics
    List<?> series = (List<?>) metrics.get("ic_by_period");
    assertThat(series).hasSize(((Number) overall.get("ic_periods")).intValue());
    double sum = 0;
    for (Object p : series) {
      sum += ((Number) ((Map<?, ?>) p).get("ic")).doubleValue();
    }
    assertThat(sum / series.size())
        .isCloseTo(
            ((Number) overall.get("ic_mean")).doubleValue(),
            org.assertj.core.data.Offset.offset(1e-12));
    assertThat(series.getFirst().toString())
        .containsPattern("period=.*, rows=\\d+, ic=.*, rank_ic=");
    assertThat(overall.containsKey("ic_by_period")).isFalse();
  }

  /**
   * A value label's naive forecast is "no change": the column's value at the row's own time (the
   * label is its value two rows later). r2_vs_persistence measures the model against it, per fold
   * and overall, on every prediction; data with a symbol column gives the same figure.
   */
  @Test
  void aValueLabelIsMeasuredAgainstNoChange() throws Exception {
    String split =
        "model: {type: linear_regression}\nsplit: {method: walk_forward, folds: 3, refit: false}";
    RunResult r = run(split, "ic_period: hour");
    RunResult withSymbol =
        runFlow(
            FLOW.formatted((split + "\nsymbol_column: symbol").indent(6).strip(), "ic_period: hour")
                .replace(
                    "{id: features, type: features, depends_on: [gen], config: {input: \"${tasks.gen.output_dir}\",",
                    "{id: book, type: ingest, depends_on: [gen], config: {path: \"${tasks.gen.output_dir}/data.parquet\", timestamp_column: timestamp, symbol: ABC}}\n"
                        + "  - {id: features, type: features, depends_on: [book], config: {input: \"${tasks.book.output_dir}\","));

    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(withSymbol.state()).as(withSymbol.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> model = Json.read(out(r, "train").resolve("model.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> label = (Map<String, Object>) model.get("label");
    assertThat(label)
        .containsEntry("kind", "value")
        .containsEntry("column", "S_LI_INITIATIVESELLRATE")
        .containsEntry("horizon", 2);
    Map<String, Object> metrics = Json.read(out(r, "evaluate").resolve("metrics.json"));
    // the column's own value at each prediction's time, from the generated data itself
    String noChange = noChange(r);
    Map<?, ?> overall = (Map<?, ?>) metrics.get("overall");
    assertThat(((Number) overall.get("r2_vs_persistence")).doubleValue())
        .isCloseTo(((Number) scalar(noChange)).doubleValue(), within(1e-9));
    Map<?, ?> second = (Map<?, ?>) ((List<?>) metrics.get("folds")).get(1);
    assertThat(((Number) second.get("r2_vs_persistence")).doubleValue())
        .isCloseTo(
            ((Number) scalar(noChange + " AND fold = " + second.get("fold"))).doubleValue(),
            within(1e-9));
    // the metric follows oos_r2
    assertThat(keys(overall)).containsSubsequence("r2", "oos_r2", "r2_vs_persistence", "rmse");
    // the IC: each hour's correlation of the forecast change with the actual change
    assertThat(overall.get("ic_basis")).isEqualTo("change from the current value");
    String changeIc =
        "SELECT avg(ic) FROM (SELECT corr(prediction - g.S_LI_INITIATIVESELLRATE, actual -"
            + " g.S_LI_INITIATIVESELLRATE) AS ic FROM read_parquet('"
            + out(r, "train").resolve("predictions.parquet")
            + "') p JOIN read_parquet('"
            + out(r, "gen").resolve("data.parquet")
            + "') g USING (timestamp) GROUP BY date_trunc('hour', timestamp) HAVING count(*) >= 3)";
    assertThat(((Number) overall.get("ic_mean")).doubleValue())
        .isCloseTo(((Number) scalar(changeIc)).doubleValue(), within(1e-9));
    // the hit rate: the direction of change from the column's value at the prediction's time
    assertThat(overall.get("hit_rate_basis"))
        .isEqualTo("direction of change from the current value");
    assertThat(((Number) overall.get("hit_rate")).doubleValue())
        .isCloseTo(
            ((Number)
                    scalar(
                        noChange(r)
                            .replace(
                                "1 - sum((actual - prediction) ^ 2) / sum((actual -"
                                    + " g.S_LI_INITIATIVESELLRATE) ^ 2)",
                                "avg(CAST(sign(prediction - g.S_LI_INITIATIVESELLRATE)"
                                    + " = sign(actual - g.S_LI_INITIATIVESELLRATE) AS DOUBLE))")))
                .doubleValue(),
            within(1e-12));
    assertThat(Json.read(out(withSymbol, "train").resolve("model.json")))
        .containsEntry("symbol_column", "symbol");
    Map<?, ?> symbolOverall =
        (Map<?, ?>) Json.read(out(withSymbol, "evaluate").resolve("metrics.json")).get("overall");
    assertThat(((Number) symbolOverall.get("r2_vs_persistence")).doubleValue())
        .isCloseTo(((Number) overall.get("r2_vs_persistence")).doubleValue(), within(1e-12));
  }

  /**
   * R² of the predictions against the generated column's own value at each prediction's time,
   * matched by time in the generated data: independent of how train and evaluate line them up.
   */
  private String noChange(RunResult r) {
    return "SELECT 1 - sum((actual - prediction) ^ 2) / sum((actual - g.S_LI_INITIATIVESELLRATE) ^ 2)"
        + " FROM read_parquet('"
        + out(r, "train").resolve("predictions.parquet")
        + "') p JOIN read_parquet('"
        + out(r, "gen").resolve("data.parquet")
        + "') g USING (timestamp) WHERE TRUE";
  }

  /**
   * Where train leaves rows out between two predictions (here a feature missing one minute an
   * hour), the no-change forecast is still the column at the prediction's own time, not the actual
   * of the prediction two rows before, which would then be an older value. Models predicting in SQL
   * and in the JVM write it alike.
   */
  @ParameterizedTest
  @ValueSource(strings = {"linear_regression", "random_forest, trees: 10"})
  void rowsLeftOutMidSeriesShiftNoNoChangeForecast(String algorithm) throws Exception {
    RunResult r =
        runFlow(
            FLOW.formatted(
                    ("model: {type: " + algorithm + "}\nsplit: {method: walk_forward, folds: 3}")
                        .indent(6)
                        .strip(),
                    "ic_period: hour")
                .replace(
                    "features: [{preset: seed000}]",
                    "features: [{preset: seed000}, {name: gappy, sql: \"CASE WHEN minute(timestamp)"
                        + " = 7 THEN NULL ELSE S_LI_LARGEBUYRATE END\"}]")
                .replace("S_LI_LARGEBUYRATE, S_LI_INITIATIVESELLRATE_5min_ma]", "gappy]"));

    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> model = Json.read(out(r, "train").resolve("model.json"));
    // the last 2 rows (the label's) and one an hour of 83 hours
    assertThat(((Number) model.get("rows_left_out")).longValue()).isEqualTo(2 + 84);
    Map<?, ?> overall =
        (Map<?, ?>) Json.read(out(r, "evaluate").resolve("metrics.json")).get("overall");
    double reported = ((Number) overall.get("r2_vs_persistence")).doubleValue();
    assertThat(reported).isCloseTo(((Number) scalar(noChange(r))).doubleValue(), within(1e-9));
    // the actual two predictions back: off after every row left out
    String twoRowsBack =
        "SELECT 1 - sum((actual - prediction) ^ 2) / sum((actual - back) ^ 2) FROM (SELECT *,"
            + " lag(actual, 2) OVER (PARTITION BY fold ORDER BY timestamp) AS back FROM"
            + " read_parquet('"
            + out(r, "train").resolve("predictions.parquet")
            + "')) WHERE back IS NOT NULL";
    assertThat(Math.abs(reported - ((Number) scalar(twoRowsBack)).doubleValue()))
        .isGreaterThan(1e-6);
  }

  @Test
  void outOfSampleR2MeasuresAgainstTheTrainingWindowsMeanNotTheTestWindows() throws Exception {
    RunResult holdout = run("model: {type: linear_regression}", "ic_period: hour");
    RunResult walk =
        run(
            "model: {type: ridge, lambda: 0.1}\nsplit: {method: walk_forward, folds: 3, refit: false}",
            "ic_period: hour");

    for (RunResult r : List.of(holdout, walk)) {
      assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
      Map<String, Object> model = Json.read(out(r, "train").resolve("model.json"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> folds = (List<Map<String, Object>>) model.get("folds");
      String gen = out(r, "gen").resolve("data.parquet").toString();
      String label = out(r, "label").resolve("data.parquet").toString();
      StringBuilder bench = new StringBuilder("CASE fold");
      for (Map<String, Object> f : folds) {
        Map<?, ?> train = (Map<?, ?>) f.get("train");
        double mean = ((Number) f.get("train_target_mean")).doubleValue();
        // the mean target of the rows the fold was fitted on
        assertThat(mean)
            .isCloseTo(
                ((Number)
                        scalar(
                            "SELECT avg(y) FROM read_parquet('"
                                + gen
                                + "') POSITIONAL JOIN read_parquet('"
                                + label
                                + "') WHERE timestamp BETWEEN TIMESTAMP '"
                                + train.get("from")
                                + "' AND TIMESTAMP '"
                                + train.get("to")
                                + "'"))
                    .doubleValue(),
                org.assertj.core.data.Offset.offset(1e-12));
        bench.append(" WHEN ").append(f.get("fold")).append(" THEN ").append(mean);
      }
      Map<?, ?> overall =
          (Map<?, ?>) Json.read(out(r, "evaluate").resolve("metrics.json")).get("overall");
      double expected =
          ((Number)
                  scalar(
                      "SELECT 1 - sum((actual - prediction) ^ 2) / sum((actual - "
                          + bench
                          + " END) ^ 2) FROM read_parquet('"
                          + out(r, "train").resolve("predictions.parquet")
                          + "')"))
              .doubleValue();
      assertThat(((Number) overall.get("oos_r2")).doubleValue())
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
      assertThat(new ArrayList<>(overall.keySet()).indexOf("oos_r2"))
          .isEqualTo(new ArrayList<>(overall.keySet()).indexOf("r2") + 1);
    }
    // one window: the test window's own mean is the best constant there, so r2 <= oos_r2
    Map<?, ?> one =
        (Map<?, ?>) Json.read(out(holdout, "evaluate").resolve("metrics.json")).get("overall");
    assertThat(((Number) one.get("oos_r2")).doubleValue())
        .isGreaterThanOrEqualTo(((Number) one.get("r2")).doubleValue());
    assertThat(Json.read(out(walk, "evaluate").resolve("metrics.json")).get("folds").toString())
        .contains("oos_r2=");
  }

  @Test
  void quantilesOfThePredictionRankTheActualsPeriodByPeriod() throws Exception {
    RunResult r = run("model: {type: linear_regression}", "ic_period: hour, quantiles: 5");
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> metrics = Json.read(out(r, "evaluate").resolve("metrics.json"));
    Map<?, ?> q = (Map<?, ?>) metrics.get("quantiles");
    Map<?, ?> overall = (Map<?, ?>) metrics.get("overall");
    List<?> means = (List<?>) q.get("mean_actual_by_quantile");

    assertThat(means).hasSize(5);
    // a value label: the fifths of the forecast change, and the actual changes they meet
    assertThat(q.get("basis")).isEqualTo("change from the current value");
    assertThat(((Number) means.get(0)).doubleValue()).isNegative();
    assertThat(((Number) means.get(4)).doubleValue()).isPositive();
    // a model with skill: each fifth of its predictions meets higher actuals than the one below
    for (int b = 1; b < 5; b++) {
      assertThat(((Number) means.get(b)).doubleValue())
          .isGreaterThan(((Number) means.get(b - 1)).doubleValue());
    }
    // the spread's mean over the same periods is the top fifth's mean less the bottom's
    assertThat(((Number) overall.get("spread_mean")).doubleValue())
        .isCloseTo(
            ((Number) means.get(4)).doubleValue() - ((Number) means.get(0)).doubleValue(),
            org.assertj.core.data.Offset.offset(1e-12));
    assertThat(((Number) overall.get("spread_tstat")).doubleValue()).isGreaterThan(3);
    assertThat(((List<?>) q.get("spread_by_period")))
        .hasSize(((Number) q.get("periods")).intValue());
    // every hour of the test window holds at least five rows
    assertThat(((Number) q.get("periods")).longValue())
        .isEqualTo(((Number) overall.get("ic_periods")).longValue());
    assertThatThrownBy(() -> run("model: {type: linear_regression}", "quantiles: 1"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("quantiles must be a whole number from 2 to 20, was 1");
    // a value a template hands over is checked as the task starts
    RunResult resolved =
        run("model: {type: linear_regression}", "quantiles: \"${tasks.gen.outputs.rows}\"");
    assertThat(task(resolved, "evaluate").error())
        .contains("quantiles must be a whole number from 2 to 20, was 5000");
  }

  @Test
  void aGateBelowItsThresholdFailsTheTaskNamingMetricValueAndThreshold() {
    RunResult r = run("model: {type: linear_regression}", "gate: {r2: {min: 0.99}}");

    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(task(r, "evaluate").error())
        .containsPattern("gate failed: r2 0\\.\\d+ is below the minimum 0\\.99");
  }

  @Test
  void periodsTooShortForAnIcAreSaidWhereTheyWouldOtherwiseGoUnnoticed() throws Exception {
    // minute bars, a minute's IC: one prediction a period, and an IC needs 3
    RunResult r = run("model: {type: linear_regression}", "ic_period: minute, quantiles: 5");

    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    Map<?, ?> overall =
        (Map<?, ?>) Json.read(out(r, "evaluate").resolve("metrics.json")).get("overall");
    assertThat(((Number) overall.get("ic_periods")).longValue()).isZero();
    assertThat(overall.get("ic_mean")).isNull();
    assertThat(home.resolve("logs").resolve(r.runId()).resolve("evaluate/attempt-1.log"))
        .content()
        .contains(
            "no minute holds the 3 predictions an IC needs (a single series' daily bars have one a"
                + " day), so ic_mean and the IC's t-statistics are empty: set ic_period to a longer"
                + " period (week, month), or score several symbols at once")
        .contains(
            "no minute holds the 5 predictions that fill every quantile, so the spread is empty");
  }

  /**
   * A target that never changes leaves r2 and the IC undefined: the log says why each is empty (not
   * that periods are too short, as they are not), and a gate on r2 fails saying it has no value
   * rather than that it is missing from the metrics that list it.
   */
  @Test
  void aConstantTargetsUndefinedMetricsAreSaidAndAGateOnOneSaysItHasNoValue() throws Exception {
    StringBuilder csv = new StringBuilder("ts,x,y\n");
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int i = 0; i < 500; i++) {
      csv.append(
          String.format("2024-01-01 %02d:%02d:00,%s,1.0%n", i / 60, i % 60, random.nextDouble()));
    }
    Path data = Files.writeString(home.resolve("constant.csv"), csv);
    String flow =
        """
        name: c
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: ts}}
          - {id: label, type: label, depends_on: [ingest], config: {input: "${tasks.ingest.output_dir}", time_column: ts, column: y, kind: value, horizon: 1, name: target}}
          - {id: train, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [x], model: {type: ridge, lambda: 1}}}
          - {id: evaluate, type: evaluate, depends_on: [train], retry: {max_attempts: 1}, config: {input: "${tasks.train.output_dir}", ic_period: hour, gate: {r2: {min: 0}}}}
        """
            .formatted(data);

    RunResult r = runFlow(flow);

    assertThat(task(r, "evaluate").error())
        .contains("r2 has no value on these rows (undefined: the evaluate log says why)")
        .doesNotContain("missing from the metrics");
    assertThat(home.resolve("logs").resolve(r.runId()).resolve("evaluate/attempt-1.log"))
        .content()
        .contains("the actuals are all the same over the 100 test rows, so r2")
        .contains("in each of the 3 hour(s) that hold 3 or more predictions, the predictions or")
        .doesNotContain("no hour holds the 3 predictions");
  }

  /** A test window of one class leaves roc_auc undefined, and the log says so. */
  @Test
  void aTestWindowOfOneClassLeavesRocAucUndefinedAndSaysSo() throws Exception {
    StringBuilder csv = new StringBuilder("ts,x,y\n");
    java.util.SplittableRandom random = new java.util.SplittableRandom(2);
    for (int i = 0; i < 500; i++) {
      // a series that only rises over its last fifth: every test row's direction is up
      double y = i < 380 ? random.nextDouble() : 1 + i * 0.01;
      csv.append(
          String.format("2024-01-01 %02d:%02d:00,%s,%s%n", i / 60, i % 60, random.nextDouble(), y));
    }
    Path data = Files.writeString(home.resolve("rising.csv"), csv);
    RunResult r =
        runFlow(
            """
            name: u
            tasks:
              - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: ts}}
              - {id: label, type: label, depends_on: [ingest], config: {input: "${tasks.ingest.output_dir}", time_column: ts, column: y, kind: direction, horizon: 1, name: up}}
              - {id: train, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [x], model: {type: logistic_regression}}}
              - {id: evaluate, type: evaluate, depends_on: [train], retry: {max_attempts: 1}, config: {input: "${tasks.train.output_dir}", gate: {roc_auc: {min: 0.5}}}}
            """
                .formatted(data));

    assertThat(task(r, "evaluate").error()).contains("roc_auc has no value on these rows");
    assertThat(home.resolve("logs").resolve(r.runId()).resolve("evaluate/attempt-1.log"))
        .content()
        .contains("all 100 test rows are of one class, so roc_auc");
  }

  /**
   * Scoring with a model nobody registered fails once, saying so in the registry's words: no
   * exception class, and no retries that could only find the registry as it was.
   */
  @Test
  void scoringAModelNeverRegisteredFailsOnceSayingSo() {
    RunResult r =
        runFlow(
            LEVEL_LABEL
                + """
                  - {id: score, type: score, depends_on: [label], config: {name: nomodel, input: "${tasks.label.output_dir}"}}
                """);

    TaskRunRecord score = task(r, "score");
    assertThat(score.state()).isEqualTo(TaskState.FAILED);
    assertThat(score.attempt()).isOne();
    assertThat(score.error())
        .contains("(not retryable): no model 'nomodel' is registered")
        .doesNotContain("Exception");
  }

  @Test
  void aHyperparameterTheModelDoesNotTakeOrOutOfRangeIsRefusedWhenTheFlowLoads() {
    // a typo would otherwise leave the default lambda in place without a word
    assertThatThrownBy(() -> run("model: {type: ridge, lamda: 0.5}", "ic_period: hour"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("ridge takes no 'lamda' (it takes lambda)")
        .hasMessageContaining("did you mean 'lambda'?");
    assertThatThrownBy(
            () ->
                run(
                    "model: {type: gradient_boosting, trees: 0, shrinkage: 2, subsample: x}",
                    "ic_period: hour"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("trees must be from 1 to 100000, was 0")
        .hasMessageContaining("shrinkage must be from")
        .hasMessageContaining("subsample must be a number, was 'x'");
    assertThatThrownBy(() -> run("model: {type: linear_regression, lambda: 1}", "ic_period: hour"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("linear_regression takes no 'lambda' (it has no hyperparameters)");
    assertThatThrownBy(
            () -> run("model: {type: logistic_regression, max_iter: 2.5}", "ic_period: hour"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("max_iter must be a whole number, was 2.5");
  }

  /**
   * A sweep's settings come from run params: the model family, its hyperparameters, the split and
   * DuckDB's memory. The params given are checked by the types that use them before the run starts,
   * and a bad one is refused naming the setting, as the flow's load would.
   */
  @Test
  void aTrainingsSettingsFromRunParamsAreCheckedOnceTheyResolve() {
    String yaml =
        LEVEL_LABEL.replace(
                "name: m\n",
                "name: m\nparams: {model: {type: string, default: ridge},"
                    + " lambda: {type: string, default: \"0.5\"}, tf: {type: string, default: \"0.3\"},"
                    + " mem: {type: string, default: 500MB}}\n")
            + """
              - id: train
                type: train
                depends_on: [label]
                config:
                  input: ${tasks.label.output_dir}
                  features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE]
                  model: {type: "${params.model}", lambda: "${params.lambda}"}
                  split: {test_fraction: "${params.tf}"}
                  memory_limit: "${params.mem}"
            """;
    try (InMemoryStore store = new InMemoryStore();
        Engine engine = Engine.builder(store).tasks(TestFlows.registry()).home(home).build()) {
      RunResult good = engine.run(TestFlows.parse(yaml), Map.of());
      assertThat(good.state()).as(good.error()).isEqualTo(RunState.SUCCEEDED);
      assertThat(task(good, "train").outputs()).containsEntry("algorithm", "ridge");

      Map<Map<String, String>, String> refused =
          Map.of(
              Map.of("model", "rigde"), "model.type: unknown model type 'rigde'",
              Map.of("lambda", "-1"), "model.lambda: lambda must be at least 0, was -1",
              Map.of("model", "lasso", "lambda", "much"), "lambda must be a number, was 'much'",
              Map.of("tf", "1.5"), "test_fraction must be between 0 and 1, was 1.5",
              Map.of("mem", "lots"), "memory_limit is a size with its unit, such as 1GB");
      refused.forEach(
          (params, message) ->
              assertThatThrownBy(() -> engine.run(TestFlows.parse(yaml), params))
                  .as(message)
                  .hasMessageContaining("task 'train' (train), with the params given:")
                  .hasMessageContaining(message));
      // nothing ran for them: the good run alone is in the store
      assertThat(store.recentRuns(10)).hasSize(1);
    }
  }

  @Test
  void aMisspeltConfigKeyIsRefusedWithTheOneMeantRatherThanLeftToItsDefault() {
    assertThatThrownBy(
            () ->
                TestFlows.parse(
                    """
                    name: m
                    tasks:
                      - {id: gen, type: synthetic_orderflow, config: {rows: 1000, seed: 3}}
                      - {id: label, type: label, depends_on: [gen], config: {input: "${tasks.gen.output_dir}", time_column: timestamp, column: S_LI_INITIATIVESELLRATE, horizon: 1, name: y}}
                      - id: train
                        type: train
                        depends_on: [label]
                        config: {input: "${tasks.label.output_dir}", sed: 4, split: {method: holdout, tets_fraction: 0.3}}
                      - id: evaluate
                        type: evaluate
                        depends_on: [train]
                        config: {input: "${tasks.train.output_dir}", ic_perod: day, drift: {data: "${tasks.label.output_dir}", bin: 5}, memory_limit: 1GB}
                      - {id: reg, type: register, depends_on: [evaluate], config: {name: m, model: "${tasks.train.output_dir}"}}
                      - {id: promote, type: promote, depends_on: [reg], config: {name: m, version: "${tasks.reg.outputs.version}", alias: champoin, rollback_triggers: [{metric: r2, bellow: 0.1}, {metric: rsquared, below: 0.1}, {metric: hit_rate, below: 55}]}}
                    """))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("train takes no config key 'sed'")
        .hasMessageContaining("did you mean 'seed'?")
        .hasMessageContaining("split takes no 'tets_fraction'")
        .hasMessageContaining("did you mean 'test_fraction'?")
        .hasMessageContaining("evaluate takes no config key 'ic_perod'")
        .hasMessageContaining("did you mean 'ic_period'?")
        .hasMessageContaining("drift takes no 'bin'")
        .hasMessageContaining(
            "unknown alias 'champoin': a model's aliases are champion and challenger")
        .hasMessageContaining("rollback_triggers[0] takes no 'bellow'")
        .hasMessageContaining("did you mean 'below'?")
        .hasMessageContaining("a trigger has one bound, below or above")
        .hasMessageContaining("a trigger watches a metric evaluate reports, was rsquared")
        // whatever the live model scores, it would roll back
        .hasMessageContaining(
            "this trigger always fires: hit_rate is at most 1, and it fires below 55")
        .hasMessageContaining("9 problems"); // memory_limit, which every quant task takes, is none
  }

  @Test
  void classificationReportsAucAndAConfusionMatrix() throws Exception {
    RunResult r =
        run("kind: classification\nmodel: {type: gradient_boosting, trees: 30}", "ic_period: hour");
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<?, ?> overall =
        (Map<?, ?>) Json.read(out(r, "evaluate").resolve("metrics.json")).get("overall");
    assertThat(((Number) overall.get("roc_auc")).doubleValue()).isBetween(0.6, 1.0);
    assertThat(overall.get("confusion_matrix").toString()).contains("tp=", "fp=", "tn=", "fn=");
    assertThat(overall.keySet().toString()).contains("precision", "recall", "f1", "log_loss");
    // the accuracy of always answering the training window's majority class
    Map<?, ?> fold =
        (Map<?, ?>)
            ((List<?>) Json.read(out(r, "train").resolve("model.json")).get("folds")).getFirst();
    double positives = ((Number) fold.get("train_positive_rate")).doubleValue();
    assertThat(((Number) overall.get("baseline_accuracy")).doubleValue())
        .isCloseTo(
            ((Number)
                    scalar(
                        "SELECT avg(CAST(actual = "
                            + (positives >= 0.5 ? 1 : 0)
                            + " AS DOUBLE)) FROM read_parquet('"
                            + out(r, "train").resolve("predictions.parquet")
                            + "')"))
                .doubleValue(),
            org.assertj.core.data.Offset.offset(1e-12));
    // above the median of the training window: about half its rows are ones
    assertThat(positives).isBetween(0.45, 0.55);
    assertThat(((Number) overall.get("accuracy_over_baseline")).doubleValue())
        .isEqualTo(
            ((Number) overall.get("accuracy")).doubleValue()
                - ((Number) overall.get("baseline_accuracy")).doubleValue());
    // a gate on it refuses a model that calls directions no better than the majority class
    RunResult noBetter =
        run(
            "kind: classification\nmodel: {type: gradient_boosting, trees: 30}",
            "gate: {accuracy_over_baseline: {min: 0.99}}");
    assertThat(noBetter.state()).isEqualTo(RunState.FAILED);
    assertThat(task(noBetter, "evaluate").error())
        .containsPattern("accuracy_over_baseline 0\\.\\d+ is below the minimum 0\\.99");

    // every number either kind reports is a metric a gate may name, and no other
    RunResult regression =
        run(
            "model: {type: linear_regression}",
            "ic_period: hour, quantiles: 5, drift: {data: \"${tasks.label.output_dir}\"}");
    Map<?, ?> regressionOverall =
        (Map<?, ?>) Json.read(out(regression, "evaluate").resolve("metrics.json")).get("overall");
    java.util.Set<String> numbers = new java.util.TreeSet<>();
    for (Map<?, ?> m : List.of(overall, regressionOverall)) {
      m.forEach(
          (k, v) -> {
            if (v instanceof Number) {
              numbers.add(String.valueOf(k));
            }
          });
    }
    assertThat(numbers).containsExactlyInAnyOrderElementsOf(Metrics.GATEABLE);
  }

  /**
   * A gate naming no metric evaluate reports is refused when the flow loads, not after training.
   */
  @Test
  void aGateOnAnUnknownMetricIsRefusedWhenTheFlowLoads() {
    assertThatThrownBy(() -> run("model: {type: linear_regression}", "gate: {rocauc: 0.55}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("task 'evaluate'")
        .hasMessageContaining("unknown metric 'rocauc'")
        .hasMessageContaining("did you mean 'roc_auc'?");
    assertThatThrownBy(() -> run("model: {type: linear_regression}", "gate: {sharpe: {min: 1}}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown metric 'sharpe'")
        .hasMessageContaining("known: rows, r2, oos_r2, r2_vs_persistence, rmse");
    assertThatThrownBy(() -> run("model: {type: linear_regression}\nseed: abc", "ic_period: hour"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'seed' must be a whole number, was 'abc'");
    // a bound past every value the metric takes passes no model: a percentage, most often
    assertThatThrownBy(
            () ->
                run(
                    "model: {type: linear_regression}",
                    "gate: {r2: {min: 20}, rmse: {max: -1}, hit_rate: 55, ic_mean: {min: 0.02}}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "no model can pass: r2 is at most 1, and the gate asks for at least 20")
        .hasMessageContaining("a share is a fraction: 0.2 for 20%")
        .hasMessageContaining(
            "no model can pass: rmse is at least 0, and the gate asks for at most -1")
        .hasMessageContaining(
            "no model can pass: hit_rate is at most 1, and the gate asks for at least 55")
        .hasMessageContaining("3 problems");
    // a bound that is not a number would be no gate at all
    assertThatThrownBy(() -> run("model: {type: linear_regression}", "gate: {r2: {min: abc}}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("r2's min must be a number, was 'abc'");
    // ... nor when it comes from a param: refused before the run, naming the task and setting
    assertThatThrownBy(
            () ->
                runFlow(
                    FLOW.formatted(
                            "model: {type: linear_regression}",
                            "gate: {r2: {min: \"${params.t}\"}}")
                        + "params:\n  t: {type: string, default: abc}\n"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "task 'evaluate' (evaluate), with the params given: gate.r2.min: r2's min must be a"
                + " number, was 'abc'");
    String misnamed =
        """
        name: p
        tasks:
          - {id: register, type: register, config: {name: "hft factor!", model: m}}
          - {id: score, type: score, config: {name: "${params.m}", input: x}}
        params:
          m: {type: string, default: ok}
        """;
    assertThatThrownBy(() -> runFlow(misnamed))
        .hasMessageContaining("bad model name 'hft factor!': use letters, digits, '_', '.' and '-'")
        .hasMessageContaining("1 problem");
  }

  /**
   * Drift is the population stability index of each feature, a fold's test window against its
   * training window, over the training window's deciles. {@code a} keeps its uniform distribution
   * throughout: close to 0. {@code b} moves from U(0, 1) to U(0.5, 1.5) in the last fifth, the test
   * window: five deciles empty (their shares floored at 1e-4), four as before and the top one with
   * 0.6 of the rows, so PSI = 5 (1e-4 - 0.1) ln(1e-4 / 0.1) + (0.6 - 0.1) ln 6 = 4.35. A gate on it
   * fails naming the value.
   */
  @Test
  void driftIsEachFeaturesStabilityIndexBetweenTrainingAndTestWindows() throws Exception {
    Path data = home.resolve("shift.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      c.createStatement()
          .execute(
              "COPY (SELECT ts, a, b, a + 0.1 * n AS y FROM (SELECT TIMESTAMP '2024-01-01'"
                  + " + to_minutes(i) AS ts, (hash(i) % 1000000) / 1e6 AS a, CASE WHEN i < 240000"
                  + " THEN 0 ELSE 1 END + (hash(i + 1000000) % 1000000) / 1e6 AS b,"
                  + " (hash(i + 2000000) % 1000000) / 1e6 AS n FROM range(300000) t(i))) TO '"
                  + data
                  + "' (FORMAT parquet)");
    }
    String flow =
        """
        name: drift
        tasks:
          - id: train
            type: train
            config: {input: "%s", target: y, time_column: ts, features: [a, b],
                     split: {method: holdout, test_fraction: 0.2, embargo: 0}}
          - id: evaluate
            type: evaluate
            depends_on: [train]
            retry: {max_attempts: 1}
            config: {input: "${tasks.train.output_dir}", drift: {data: "%s"}, %s}
        """;

    RunResult r = runFlow(flow.formatted(data, data, "ic_period: hour"));
    RunResult gated = runFlow(flow.formatted(data, data, "gate: {max_psi: {max: 0.25}}"));

    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<?, ?> drift =
        (Map<?, ?>) Json.read(out(r, "evaluate").resolve("metrics.json")).get("drift");
    Map<?, ?> psi = (Map<?, ?>) drift.get("psi");
    assertThat((Double) psi.get("a")).isBetween(0.0, 0.01);
    assertThat((Double) psi.get("b")).isCloseTo(8.28, within(0.05));
    assertThat(drift.get("max_psi")).isEqualTo(psi.get("b"));
    assertThat(drift.get("max_psi_feature")).isEqualTo("b");
    // the target y = a + noise keeps its distribution: reported, and not part of max_psi
    assertThat(drift.get("target")).isEqualTo("y");
    assertThat((Double) drift.get("target_psi")).isBetween(0.0, 0.01);
    assertThat(task(r, "evaluate").outputs()).containsKey("max_psi");
    assertThat(out(r, "evaluate").resolve("drift_report.md"))
        .content()
        .contains("| a | 0.00")
        .containsPattern("\\| y \\(target\\) \\| 0\\.00\\d+ \\| 0\\.00\\d+ \\| stable \\|")
        .containsPattern("\\| b \\| 8\\.2\\d+ \\| 8\\.2\\d+ \\| significant shift \\|");
    assertThat(gated.state()).isEqualTo(RunState.FAILED);
    assertThat(task(gated, "evaluate").error())
        .containsPattern("gate failed: max_psi 8\\.2\\d+ is above the maximum 0\\.25");
  }

  @Test
  void driftSettingsThatCannotWorkAreRefusedWhenTheFlowLoads() {
    assertThatThrownBy(() -> run("model: {type: linear_regression}", "gate: {max_psi: 0.2}"))
        .hasMessageContaining("a gate on max_psi needs drift");
    assertThatThrownBy(() -> run("model: {type: linear_regression}", "drift: {bins: 10}"))
        .hasMessageContaining("drift needs data: the rows the model was trained on");
    assertThatThrownBy(
            () ->
                run(
                    "model: {type: linear_regression}",
                    "drift: {data: \"${tasks.label.output_dir}\", bins: 1}"))
        .hasMessageContaining("bins must be a whole number from 2 to 100, was 1");
    String promoting =
        """
        name: p
        tasks:
          - {id: train, type: train, config: {input: data.parquet, target: y, time_column: ts}}
          - {id: evaluate, type: evaluate, depends_on: [train], config: {input: "${tasks.train.output_dir}"}}
          - id: register
            type: register
            depends_on: [evaluate]
            config: {name: m, model: "${tasks.train.output_dir}", metrics: "${tasks.evaluate.output_dir}"}
          - id: promote
            type: promote
            depends_on: [register]
            config: {name: m, version: "${tasks.register.outputs.version}", gates: {max_psi: {max: 0.2}}}
        """;
    assertThatThrownBy(() -> runFlow(promoting))
        .hasMessageContaining("task 'promote'")
        .hasMessageContaining("a gate on max_psi needs an evaluate task upstream with drift");
  }

  /**
   * The label y was a return and is now the level: the two models predict different things, so a
   * gate relative to the champion refuses to compare them, on their stored figures as on the same
   * rows (compare_on), and says how; the manifest carries the label, for this and for models diff.
   */
  @Test
  void aChampionPredictingAnotherLabelIsNotComparedWith() throws Exception {
    RunResult r =
        runFlow(
            LEVEL_LABEL
                + """
              - {id: ret, type: label, depends_on: [features], config: {input: "${tasks.features.output_dir}", column: S_LI_INITIATIVESELLRATE, kind: forward_return, horizon: 1, name: y}}
              - {id: train_a, type: train, depends_on: [ret], config: {input: "${tasks.ret.output_dir}", features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE]}}
              - {id: eval_a, type: evaluate, depends_on: [train_a], config: {input: "${tasks.train_a.output_dir}"}}
              - {id: reg_a, type: register, depends_on: [eval_a], config: {name: m, model: "${tasks.train_a.output_dir}", metrics: "${tasks.eval_a.output_dir}"}}
              - {id: promote_a, type: promote, depends_on: [reg_a], config: {name: m, version: "${tasks.reg_a.outputs.version}"}}
              - {id: train_b, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE]}}
              - {id: eval_b, type: evaluate, depends_on: [train_b], config: {input: "${tasks.train_b.output_dir}"}}
              - {id: reg_b, type: register, depends_on: [eval_b], config: {name: m, model: "${tasks.train_b.output_dir}", metrics: "${tasks.eval_b.output_dir}"}}
              - id: stored
                type: promote
                depends_on: [reg_b, promote_a]
                retry: {max_attempts: 1}
                config: {name: m, version: "${tasks.reg_b.outputs.version}", gates: {ic_mean: {min_vs_champion: -2}, r2: {min_vs_champion: -100}}}
              - id: rescored
                type: promote
                depends_on: [stored]
                trigger_rule: all_done
                config: {name: m, version: "${tasks.reg_b.outputs.version}", compare_on: "${tasks.label.output_dir}", gates: {ic_mean: {min_vs_champion: -2}}}
            """);

    assertThat(task(r, "promote_a").state()).isEqualTo(TaskState.SUCCEEDED);
    String unlike =
        "cannot compare the two: the candidate predicts y as a value of"
            + " S_LI_INITIATIVESELLRATE 1 row ahead, the champion as a forward_return of"
            + " S_LI_INITIATIVESELLRATE 1 row ahead";
    assertThat(task(r, "stored").state()).isEqualTo(TaskState.FAILED);
    assertThat(task(r, "stored").error())
        .contains("the gates relative to the champion (ic_mean, r2) " + unlike)
        .contains("to replace the champion with this model, promote without them");
    assertThat(task(r, "rescored").state()).isEqualTo(TaskState.FAILED);
    assertThat(task(r, "rescored").error())
        .contains("the gates relative to the champion (ic_mean) " + unlike);
    assertThat(out(r, "rescored").resolve("deployment_manifest.yaml")).doesNotExist();
    @SuppressWarnings("unchecked")
    Map<String, Object> label =
        (Map<String, Object>)
            Json.read(
                    home.resolve("models/m")
                        .resolve(task(r, "reg_b").outputs().get("version"))
                        .resolve("manifest.json"))
                .get("label");
    assertThat(label)
        .containsEntry("kind", "value")
        .containsEntry("column", "S_LI_INITIATIVESELLRATE")
        .containsEntry("horizon", 1);
  }

  @Test
  void overlappingLabelsGiveTheIcsTStatisticTheirOverlapsLags() throws Exception {
    // minute bars, a 2-hour forward return, an hourly IC: each hour's labels reach 2 hours on
    RunResult r =
        runFlow(
            """
            name: m
            tasks:
              - {id: gen, type: synthetic_orderflow, config: {rows: 6000, seed: 3, signal: 0.6, interval: 1 minute}}
              - {id: label, type: label, depends_on: [gen], config: {input: "${tasks.gen.output_dir}", time_column: timestamp, column: S_LI_INITIATIVESELLRATE, kind: forward_return, horizon: 120, name: y}}
              - {id: train_a, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE], split: {method: holdout, test_fraction: 0.5}}}
              - {id: eval_a, type: evaluate, depends_on: [train_a], config: {input: "${tasks.train_a.output_dir}", ic_period: hour, quantiles: 5, gate: {ic_tstat: {min: -1000}}}}
              - {id: reg_a, type: register, depends_on: [eval_a], config: {name: m, model: "${tasks.train_a.output_dir}", metrics: "${tasks.eval_a.output_dir}"}}
              - {id: promote_a, type: promote, depends_on: [reg_a], config: {name: m, version: "${tasks.reg_a.outputs.version}"}}
              - {id: train_b, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE]}}
              - {id: eval_b, type: evaluate, depends_on: [train_b], config: {input: "${tasks.train_b.output_dir}", ic_period: hour}}
              - {id: reg_b, type: register, depends_on: [eval_b], config: {name: m, model: "${tasks.train_b.output_dir}", metrics: "${tasks.eval_b.output_dir}"}}
              - {id: promote_b, type: promote, depends_on: [reg_b, promote_a], config: {name: m, version: "${tasks.reg_b.outputs.version}", compare_on: "${tasks.label.output_dir}", gates: {ic_tstat_nw: {min_vs_champion: -1000}}}}
              - {id: report, type: model_report, depends_on: [eval_a], config: {name: m, metrics: "${tasks.eval_a.output_dir}"}}
            """);

    assertThat(task(r, "promote_b").state()).isEqualTo(TaskState.SUCCEEDED);
    Map<String, Object> metrics = Json.read(out(r, "eval_a").resolve("metrics.json"));
    assertThat(metrics.get("ic_overlap_lags")).isEqualTo(2);
    @SuppressWarnings("unchecked")
    Map<String, Object> overall = (Map<String, Object>) metrics.get("overall");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> series =
        (List<Map<String, Object>>) metrics.get(Metrics.IC_BY_PERIOD);
    List<Double> ics = series.stream().map(p -> (Double) p.get("ic")).toList();
    assertThat((Double) overall.get("ic_tstat_nw"))
        .isEqualTo(Metrics.neweyWestTstat(ics, 2))
        .isNotCloseTo((Double) overall.get("ic_tstat"), within(1e-6));
    assertThat(overall.get("spread_tstat_nw")).isInstanceOf(Double.class);
    assertThat(home.resolve("logs").resolve(r.runId()).resolve("eval_a").resolve("attempt-1.log"))
        .content()
        .contains(
            "each hour's labels reach into the next 2 hour(s): their ICs are not independent, so"
                + " ic_tstat overstates how sure the mean IC is; ic_tstat_nw (Newey-West, 2 lags)"
                + " does not")
        .contains(
            "the gate on ic_tstat takes the overlapping periods as independent and lets through"
                + " factors it should not: gate on ic_tstat_nw instead");
    assertThat(out(r, "report").resolve("report.md"))
        .content()
        .contains("- ic_tstat_nw: ")
        .contains(
            "Each hour's labels reach into the next 2, so neighbouring ICs share future rows:"
                + " ic_tstat_nw (Newey-West, 2 lags) says how sure the mean IC is");
    // compare_on scores the candidate on its own test rows with the same lags: evaluate's figure
    Map<?, ?> candidate =
        (Map<?, ?>)
            ((Map<?, ?>)
                    Json.readYaml(out(r, "promote_b").resolve("deployment_manifest.yaml"))
                        .get("champion_comparison"))
                .get("candidate");
    @SuppressWarnings("unchecked")
    Map<String, Object> storedB =
        (Map<String, Object>) Json.read(out(r, "eval_b").resolve("metrics.json")).get("overall");
    assertThat((Double) candidate.get("ic_tstat_nw"))
        .isCloseTo((Double) storedB.get("ic_tstat_nw"), within(1e-9));
  }

  @Test
  void theApproverIsToldWhatPromotingReplacesAndWhetherItsGatesWouldLetItThrough() {
    String yaml =
        LEVEL_LABEL
            + """
          - {id: train_a, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE]}}
          - {id: eval_a, type: evaluate, depends_on: [train_a], config: {input: "${tasks.train_a.output_dir}"}}
          - {id: reg_a, type: register, depends_on: [eval_a], config: {name: m, model: "${tasks.train_a.output_dir}", metrics: "${tasks.eval_a.output_dir}"}}
          - {id: promote_a, type: promote, depends_on: [reg_a], config: {name: m, version: "${tasks.reg_a.outputs.version}"}}
          - {id: reg_n, type: register, depends_on: [eval_a], config: {name: n, model: "${tasks.train_a.output_dir}", metrics: "${tasks.eval_a.output_dir}"}}
          - {id: first, type: promote, depends_on: [reg_n], approval: required, config: {name: n, version: "${tasks.reg_n.outputs.version}", gates: {r2: {min_vs_champion: 0}}}}
          - {id: train_b, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE]}}
          - {id: eval_b, type: evaluate, depends_on: [train_b], config: {input: "${tasks.train_b.output_dir}"}}
          - {id: reg_b, type: register, depends_on: [eval_b], config: {name: m, model: "${tasks.train_b.output_dir}", metrics: "${tasks.eval_b.output_dir}"}}
          - id: deploy
            type: promote
            depends_on: [reg_b, promote_a]
            approval: required
            retry: {max_attempts: 1}
            config: {name: m, version: "${tasks.reg_b.outputs.version}", gates: {r2: {min_vs_champion: 100}}}
          - id: rescored
            type: promote
            depends_on: [reg_b, promote_a]
            approval: required
            config: {name: m, version: "${tasks.reg_b.outputs.version}", compare_on: "${tasks.label.output_dir}", gates: {r2: {min_vs_champion: -100, min: -100}}}
          - {id: again, type: promote, depends_on: [promote_a], approval: required, config: {name: m, version: "${tasks.reg_a.outputs.version}"}}
          - {id: lenient, type: promote, depends_on: [reg_b, promote_a], approval: required, config: {name: m, version: "${tasks.reg_b.outputs.version}", gates: {r2: {min_vs_champion: -100}}}}
          - {id: reviewed, type: train, depends_on: [label], approval: required, config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE], model: {type: ridge, lambda: 0.5}, split: {method: holdout, test_fraction: 0.3}, seed: 7}}
        """;
    try (InMemoryStore store = new InMemoryStore();
        Engine engine = Engine.builder(store).tasks(TestFlows.registry()).home(home).build()) {
      RunResult parked = engine.run(TestFlows.parse(yaml), Map.of());
      assertThat(parked.state()).isEqualTo(RunState.WAITING);
      String a = task(parked, "reg_a").outputs().get("version").substring(0, 12);
      String b = task(parked, "reg_b").outputs().get("version").substring(0, 12);

      assertThat(task(parked, "first").error())
          .isEqualTo(
              "approval required: approving makes "
                  + a
                  + " the champion of 'n' (its first); its gates pass (no champion yet to"
                  + " compare it with); see: alphaflow models show n "
                  + a);
      assertThat(task(parked, "deploy").error())
          .startsWith(
              "approval required: approving makes "
                  + b
                  + " the champion of 'm' in place of "
                  + a
                  + "; its gates refuse it as things stand: r2 ")
          .contains("champion")
          .endsWith("; compare: alphaflow models diff " + b + " " + a);
      assertThat(task(parked, "rescored").error())
          .contains(
              "in place of "
                  + a
                  + "; the gates relative to the champion score both on compare_on once"
                  + " approved; its absolute bounds pass; compare:");
      assertThat(task(parked, "again").error())
          .isEqualTo(
              "approval required: version "
                  + a
                  + " is already the champion of 'm': approving changes nothing");

      // gates that pass show the figures they compared
      assertThat(task(parked, "lenient").error())
          .containsPattern(
              "; its gates pass \\(r2 -?[0-9.]+(e-?\\d+)? against the champion's -?[0-9.]+(e-?\\d+)?\\);"
                  + " compare: ");
      // seed 000's review of a training's hyperparameters
      assertThat(task(parked, "reviewed").error())
          .isEqualTo(
              "approval required: approving fits ridge {lambda: 0.5} on 2 feature(s):"
                  + " S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE; split {method: holdout,"
                  + " test_fraction: 0.3}; seed 7");

      // approved anyway, the gate refuses it for the reason the approver was shown
      String shown =
          task(parked, "deploy")
              .error()
              .replaceFirst(".*as things stand: ", "")
              .split("; compare")[0];
      engine.decide(parked.runId(), "deploy", Decision.APPROVED, "alice", null);
      RunResult done = engine.resume(parked.runId());
      assertThat(task(done, "deploy").state()).isEqualTo(TaskState.FAILED);
      assertThat(task(done, "deploy").error()).contains(shown);
    }
  }

  @Test
  void aPromotionOfAPrunedVersionSaysSoBeforeAnyoneApproves() {
    try (InMemoryStore store = new InMemoryStore();
        Engine engine = Engine.builder(store).tasks(TestFlows.registry()).home(home).build()) {
      RunResult trained =
          engine.run(
              TestFlows.parse(
                  LEVEL_LABEL
                      + """
                    - {id: train, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE]}}
                    - {id: reg, type: register, depends_on: [train], config: {name: p, model: "${tasks.train.output_dir}"}}
                  """),
              Map.of());
      String version = task(trained, "reg").outputs().get("version");
      new io.alphaflow.core.model.ModelRegistry(store, home, java.time.Clock.systemUTC())
          .prune("p", 0, "ops", false);

      RunResult parked =
          engine.run(
              TestFlows.parse(
                  """
                  name: later
                  tasks:
                    - {id: deploy, type: promote, approval: required, config: {name: p, version: %s}}
                  """
                      .formatted(version)),
              Map.of());

      String v = version.substring(0, 12);
      assertThat(task(parked, "deploy").error())
          .startsWith(
              "approval required: approving cannot promote "
                  + v
                  + ": version "
                  + v
                  + " of model 'p' was pruned on ")
          .contains(" by ops (alphaflow models prune)");
    }
  }

  @Test
  void gatesRelativeToTheChampionCompareBothModelsOnTheSameRows() throws Exception {
    // a: tested on the second half; b: on the last fifth, where a was not fitted either
    RunResult r =
        runFlow(
            LEVEL_LABEL
                + """
              - {id: train_a, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE, S_LI_LARGEBUYRATE], split: {method: holdout, test_fraction: 0.5}}}
              - {id: eval_a, type: evaluate, depends_on: [train_a], config: {input: "${tasks.train_a.output_dir}"}}
              - {id: reg_a, type: register, depends_on: [eval_a], config: {name: m, model: "${tasks.train_a.output_dir}", metrics: "${tasks.eval_a.output_dir}"}}
              - {id: promote_a, type: promote, depends_on: [reg_a], config: {name: m, version: "${tasks.reg_a.outputs.version}"}}
              - {id: train_b, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE, buy_sell_ratio, S_LI_INITIATIVESELLRATE_5min_ma]}}
              - {id: eval_b, type: evaluate, depends_on: [train_b], config: {input: "${tasks.train_b.output_dir}"}}
              - {id: reg_b, type: register, depends_on: [eval_b], config: {name: m, model: "${tasks.train_b.output_dir}", metrics: "${tasks.eval_b.output_dir}"}}
              - id: promote_b
                type: promote
                depends_on: [reg_b, promote_a]
                config: {name: m, version: "${tasks.reg_b.outputs.version}", compare_on: "${tasks.label.output_dir}", gates: {r2: {min_vs_champion: -0.5}}}
              - id: back_to_a
                type: promote
                depends_on: [promote_b]
                retry: {max_attempts: 1}
                config: {name: m, version: "${tasks.reg_a.outputs.version}", compare_on: "${tasks.label.output_dir}", gates: {r2: {min_vs_champion: 0.5}}}
              - {id: train_c, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_INITIATIVEBUYRATE], split: {method: walk_forward, folds: 2}}}
              - {id: reg_c, type: register, depends_on: [train_c], config: {name: m, model: "${tasks.train_c.output_dir}"}}
              - id: promote_x
                type: promote
                depends_on: [back_to_a]
                trigger_rule: all_done
                config: {name: m, version: "${tasks.reg_a.outputs.version}", compare_on: "${tasks.gen.output_dir}"}
              - id: promote_c
                type: promote
                depends_on: [reg_c, promote_x]
                config: {name: m, version: "${tasks.reg_c.outputs.version}", compare_on: "${tasks.label.output_dir}"}
              - {id: promote_d, type: promote, depends_on: [promote_c], config: {name: m, version: "${tasks.reg_a.outputs.version}", compare_on: "${tasks.label.output_dir}"}}
              - {id: gen2, type: synthetic_orderflow, config: {rows: 6000, seed: 4, signal: 0.6, interval: 1 minute}}
              - {id: two_books, type: ingest, depends_on: [gen, gen2], config: {path: "${tasks.gen.output_dir}/../gen*/data.parquet", timestamp_column: timestamp}}
              - {id: promote_e, type: promote, depends_on: [promote_d, two_books], config: {name: m, version: "${tasks.reg_b.outputs.version}", compare_on: "${tasks.two_books.output_dir}"}}
              - {id: report_b, type: model_report, depends_on: [promote_b], config: {name: m, train: "${tasks.train_b.output_dir}", metrics: "${tasks.eval_b.output_dir}", promotion: "${tasks.promote_b.output_dir}"}}
              - {id: report_refused, type: model_report, depends_on: [back_to_a], trigger_rule: all_done, config: {name: m, promotion: "${tasks.back_to_a.output_dir}"}}
            """);

    assertThat(task(r, "promote_b").state()).isEqualTo(TaskState.SUCCEEDED);
    Map<String, Object> deployment =
        Json.readYaml(out(r, "promote_b").resolve("deployment_manifest.yaml"));
    @SuppressWarnings("unchecked")
    Map<String, Object> comparison = (Map<String, Object>) deployment.get("champion_comparison");
    @SuppressWarnings("unchecked")
    Map<String, Object> champion = (Map<String, Object>) comparison.get("champion");
    @SuppressWarnings("unchecked")
    Map<String, Object> candidate = (Map<String, Object>) comparison.get("candidate");
    Map<String, Object> evalB = Json.read(out(r, "eval_b").resolve("metrics.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> storedB = (Map<String, Object>) evalB.get("overall");
    @SuppressWarnings("unchecked")
    Map<String, Object> testB =
        (Map<String, Object>)
            ((List<Map<String, Object>>)
                    Json.read(out(r, "train_b").resolve("model.json")).get("folds"))
                .getFirst()
                .get("test");
    assertThat(comparison.get("basis")).isEqualTo("the same rows");
    assertThat(comparison.get("window")).isEqualTo(testB);
    // the candidate's rows are its whole test window: its figures are evaluate's
    assertThat(((Number) comparison.get("rows")).longValue())
        .isEqualTo(((Number) storedB.get("rows")).longValue());
    assertThat((Double) candidate.get("r2"))
        .isCloseTo((Double) storedB.get("r2"), org.assertj.core.data.Offset.offset(1e-12));
    // its hit rate and IC too: of the changes from the current value, as evaluate scores them
    assertThat(candidate.get("hit_rate_basis"))
        .isEqualTo(storedB.get("hit_rate_basis"))
        .isEqualTo("direction of change from the current value");
    assertThat(candidate.get("ic_basis")).isEqualTo("change from the current value");
    assertThat((Double) candidate.get("hit_rate"))
        .isCloseTo((Double) storedB.get("hit_rate"), org.assertj.core.data.Offset.offset(1e-12));
    assertThat((Double) candidate.get("ic_mean"))
        .isCloseTo((Double) storedB.get("ic_mean"), org.assertj.core.data.Offset.offset(1e-12));
    // the champion's on those rows, from its own out-of-sample predictions there
    double champR2 =
        ((Number)
                scalar(
                    "SELECT 1 - sum((actual - prediction) ^ 2) / sum((actual - m) ^ 2) FROM"
                        + " read_parquet('"
                        + out(r, "train_a").resolve("predictions.parquet")
                        + "'), (SELECT avg(actual) AS m FROM read_parquet('"
                        + out(r, "train_a").resolve("predictions.parquet")
                        + "') WHERE timestamp >= TIMESTAMP '"
                        + testB.get("from")
                        + "') WHERE timestamp >= TIMESTAMP '"
                        + testB.get("from")
                        + "'"))
            .doubleValue();
    assertThat((Double) champion.get("r2"))
        .isCloseTo(champR2, org.assertj.core.data.Offset.offset(1e-9));
    Map<String, Object> storedA =
        (Map<String, Object>) Json.read(out(r, "eval_a").resolve("metrics.json")).get("overall");
    assertThat((Double) champion.get("r2")).isNotEqualTo(storedA.get("r2"));

    assertThat(out(r, "report_b").resolve("report.md"))
        .content()
        .contains("## Promotion")
        .contains("- previous champion: " + task(r, "reg_a").outputs().get("version"))
        .contains("- compared on: the same rows")
        .contains(comparison.get("rows") + " rows, " + testB.get("from"))
        .contains(
            "| r2 | "
                + ModelReportTask.shown(candidate.get("r2"))
                + " | "
                + ModelReportTask.shown(champion.get("r2"))
                + " |")
        // the new model's own metrics, to 4 places, and what they say against the mean
        .containsPattern("\n- r2: -?0\\.\\d{4}\n")
        .contains("Against the training window's mean target (known when predicting), R² is ")
        .contains("Against no change (the target column's value at the time of the prediction)")
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "It calls the direction of the change from that value on %.1f%% of the test rows",
                100 * (Double) storedB.get("hit_rate")));
    assertThat(out(r, "report_refused").resolve("report.md"))
        .content()
        .contains("No version was promoted in this run");
    assertThat(task(r, "back_to_a").state()).isEqualTo(TaskState.FAILED);
    assertThat(task(r, "back_to_a").error())
        .contains("is below the champion's")
        .containsPattern("\\(both scored on the same \\d+ rows\\)");
    // the raw data lacks the champion's computed features: stored metrics, and why
    Map<?, ?> raw =
        (Map<?, ?>)
            Json.readYaml(out(r, "promote_x").resolve("deployment_manifest.yaml"))
                .get("champion_comparison");
    assertThat(raw.get("basis")).isEqualTo("each model's stored metrics (its own test window)");
    assertThat(raw.get("why").toString())
        .endsWith("gen lacks buy_sell_ratio, S_LI_INITIATIVESELLRATE_5min_ma");
    // refitted on every row after its walk-forward, the candidate is judged by its folds'
    // out-of-sample predictions, as evaluate judged it
    assertThat(out(r, "promote_c").resolve("deployment_manifest.yaml"))
        .content()
        .contains("basis: \"the same rows\"");
    // a champion fitted on every row leaves no row out of its sample: stored metrics, and why
    assertThat(out(r, "promote_d").resolve("deployment_manifest.yaml"))
        .content()
        .contains("basis: \"each model's stored metrics (its own test window)\"")
        .contains("none of the candidate's out-of-sample predictions come after the champion's");
    // two books' rows at each minute, no symbol to tell them apart: no row matches one
    // prediction, so stored metrics, and why
    Map<?, ?> twoBooks =
        (Map<?, ?>)
            Json.readYaml(out(r, "promote_e").resolve("deployment_manifest.yaml"))
                .get("champion_comparison");
    assertThat(twoBooks.get("basis"))
        .isEqualTo("each model's stored metrics (its own test window)");
    assertThat(twoBooks.get("why").toString())
        .endsWith(
            "two_books holds several rows per timestamp, so its rows cannot be matched to"
                + " the candidate's predictions");
    assertThat(home.resolve("models/m").resolve(task(r, "reg_a").outputs().get("version")))
        .isDirectoryContaining(f -> f.getFileName().toString().equals("predictions.parquet"));
  }

  @Test
  void scoringRefusesFeaturesComputedOtherwiseThanForTraining() throws Exception {
    RunResult r =
        runFlow(
            """
            name: m
            tasks:
              - {id: gen, type: synthetic_orderflow, config: {rows: 3000, seed: 3, signal: 0.6, interval: 1 minute}}
              - {id: features, type: features, depends_on: [gen], config: {input: "${tasks.gen.output_dir}", time_column: timestamp, features: [{fn: ma, column: S_LI_INITIATIVEBUYRATE, window: 5, name: buy_ma}]}}
              - {id: other, type: features, depends_on: [gen], config: {input: "${tasks.gen.output_dir}", time_column: timestamp, features: [{fn: ma, column: S_LI_INITIATIVEBUYRATE, window: 20, name: buy_ma}]}}
              - {id: label, type: label, depends_on: [features], config: {input: "${tasks.features.output_dir}", column: S_LI_INITIATIVESELLRATE, kind: value, horizon: 1, name: y}}
              - {id: train, type: train, depends_on: [label], config: {input: "${tasks.label.output_dir}", features: [S_LI_LARGEBUYRATE, buy_ma]}}
              - {id: register, type: register, depends_on: [train], config: {name: m, model: "${tasks.train.output_dir}"}}
              - {id: promote, type: promote, depends_on: [register], config: {name: m, version: "${tasks.register.outputs.version}"}}
              - {id: same, type: score, depends_on: [promote], config: {name: m, input: "${tasks.features.output_dir}"}}
              - {id: skewed, type: score, depends_on: [promote, other], retry: {max_attempts: 1}, config: {name: m, input: "${tasks.other.output_dir}"}}
            """);

    assertThat(out(r, "train").resolve("model.json"))
        .content()
        .contains("\"feature_definitions\" : {")
        .contains("\"buy_ma\" : \"CASE WHEN count(\\\"S_LI_INITIATIVEBUYRATE\\\") OVER w5 = 5")
        .doesNotContain("\"S_LI_LARGEBUYRATE\" : \"");
    assertThat(task(r, "same").state()).isEqualTo(TaskState.SUCCEEDED);
    // the rows the model was fitted on are scored too: in-sample, and said to be
    Map<String, Object> model = Json.read(out(r, "train").resolve("model.json"));
    Map<String, Object> scored = Json.read(out(r, "same").resolve("metadata.json"));
    @SuppressWarnings("unchecked")
    Map<String, Object> fold = ((List<Map<String, Object>>) model.get("folds")).getFirst();
    assertThat(scored.get("training_window")).isEqualTo(model.get("training_window"));
    assertThat(((Number) scored.get("rows_in_training_window")).longValue())
        .isEqualTo(((Number) fold.get("train_rows")).longValue())
        .isLessThan(((Number) scored.get("rows_scored")).longValue());
    assertThat(task(r, "skewed").state()).isEqualTo(TaskState.FAILED);
    assertThat(task(r, "skewed").error())
        .contains("the features differ from those the model was trained on")
        .contains("'buy_ma' was trained as CASE WHEN count(\"S_LI_INITIATIVEBUYRATE\") OVER w5 = 5")
        .contains("but is computed as CASE WHEN count(\"S_LI_INITIATIVEBUYRATE\") OVER w20 = 20")
        .contains("Score with features computed by the same features config as for training");
  }

  @Test
  void aShuffledSplitOrAModelThatCannotClassifyIsRefusedWhenTheFlowLoads() {
    assertThatThrownBy(() -> run("split: {method: random}", "ic_period: hour"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("a shuffled split is refused");
    assertThatThrownBy(() -> run("kind: classification\nmodel: {type: lasso}", "ic_period: hour"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("lasso does not do classification");
  }

  @Test
  void leastSquaresGivesTheMinimumNormSolutionForCollinearFeatures() {
    // x2 = 2 * x1: any b1 + 2 b2 = 3 fits; the minimum-norm one is (0.6, 1.2)
    double[][] cov = {{1, 2}, {2, 4}};
    double[] b = LeastSquares.solve(cov, new double[] {3, 6});
    assertThat(b[0]).isCloseTo(0.6, within(1e-9));
    assertThat(b[1]).isCloseTo(1.2, within(1e-9));
    assertThat(Files.exists(home)).isTrue();
  }

  /** {@code select}'s rows as {@code name}.parquet in the test's home. */
  private Path parquet(Connection c, String name, String select) throws Exception {
    Path data = home.resolve(name + ".parquet");
    c.createStatement().execute("COPY (" + select + ") TO '" + data + "' (FORMAT parquet)");
    return data;
  }

  @Test
  void noUsableRowSaysWhichColumnsWereMissing() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Path data =
          parquet(
              c,
              "empty",
              "SELECT TIMESTAMP '2024-01-01' + to_minutes(t) AS ts, t * 1.0 AS x,"
                  + " 'NaN'::DOUBLE AS y FROM range(10) a(t)");
      TrainingSet set = new TrainingSet(c, data, List.of("x"), "y", "ts", null);
      assertThatThrownBy(() -> set.quantiles(new double[] {0.8}))
          .isInstanceOf(TaskFailure.class)
          .hasMessageContaining("no usable rows in " + data)
          .hasMessageContaining("(features: x, target: y)");
      assertThatThrownBy(set::rows).hasMessageContaining("no usable rows");
    }
  }

  /** Predictions carry each row's symbol, whether the model predicts in SQL or in the JVM. */
  @ParameterizedTest
  @ValueSource(strings = {"linear_regression", "random_forest, trees: 10"})
  void predictionsKeepTheirSymbol(String model) throws Exception {
    Path data;
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      data =
          parquet(
              c,
              "symbols",
              "SELECT TIMESTAMP '2024-01-01' + to_minutes(t) AS ts, 'S' || s AS sym,"
                  + " sin(t + s) AS x, sin(t + s) * 2 + s AS y FROM range(200) a(t), range(2) b(s)"
                  + " ORDER BY sym, ts");
    }
    RunResult r =
        runFlow(
            """
            name: sym
            tasks:
              - id: train
                type: train
                retry: {max_attempts: 1}
                config: {input: "%s", features: [x], target: y, time_column: ts, symbol_column: sym,
                         model: {type: %s}, split: {method: holdout, test_fraction: 0.25}}
            """
                .formatted(data, model));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(
            scalar(
                "SELECT count(*) FILTER (WHERE sym IS NULL) * 1000 + count(DISTINCT sym) FROM '"
                    + out(r, "train").resolve("predictions.parquet")
                    + "'"))
        .isEqualTo(2L);
  }

  @Test
  void stepsBeforeCountsDistinctTimesWhateverTheEmbargoLength() throws Exception {
    // 3 symbols per time, 40 times a minute apart: both the max() walk and the DISTINCT query
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Path data =
          parquet(
              c,
              "steps",
              "SELECT TIMESTAMP '2024-01-01' + to_minutes(t) AS ts, s AS sym, t * 1.0 AS x,"
                  + " s * 1.0 AS y FROM range(40) a(t), range(3) b(s)");
      TrainingSet set = new TrainingSet(c, data, List.of("x"), "y", "ts", "sym");
      long minute = 60_000_000L;
      long t0 = java.time.Instant.parse("2024-01-01T00:00:00Z").toEpochMilli() * 1000;
      long last = t0 + 39 * minute;
      for (int steps = 0; steps <= 45; steps++) {
        long expected = steps > 39 ? Long.MIN_VALUE : last - steps * minute;
        assertThat(set.stepsBefore(last, steps)).as("steps " + steps).isEqualTo(expected);
      }
    }
  }
}
