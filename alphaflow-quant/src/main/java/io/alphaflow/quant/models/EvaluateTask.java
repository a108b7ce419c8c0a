package io.alphaflow.quant.models;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Type {@code evaluate}: scores a {@code train} task's out-of-sample predictions per walk-forward
 * fold and overall into {@code metrics.json}. With {@code gate:} thresholds it is a gate: a breach
 * fails the task naming the metric, its value and the threshold, or with {@code on_breach: review}
 * succeeds with the output {@code breached=true} so a later task can ask for a human's review
 * ({@code approval: {required_if: ${tasks.evaluate.outputs.breached}}}). With {@code drift: {data:
 * ...}} it also measures each feature's drift between the training and test windows ({@link Drift}:
 * {@code drift_report.md}, and {@code max_psi} for a gate).
 */
public final class EvaluateTask implements QuantTask {
  public static final String METRICS_FILE = "metrics.json";
  static final String DRIFT_REPORT = "drift_report.md";
  static final List<String> PERIODS = List.of("minute", "hour", "day", "week", "month");

  @Override
  public String type() {
    return "evaluate";
  }

  /** How many buckets of the prediction the quantile analysis splits each period into. */
  static final String QUANTILES = "quantiles";

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public List<ConfigProblem> validate(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(Configs.required(config, "input", "input: ${tasks.train.output_dir}"));
    problems.addAll(Gate.problems(config.get("gate"), "gate"));
    Object onBreach = config.getOrDefault("on_breach", "fail");
    if (!List.of("fail", "review").contains(String.valueOf(onBreach))) {
      problems.add(
          new ConfigProblem(
              "on_breach",
              "unknown on_breach '" + onBreach + "'",
              "use fail (the task fails) or review (a later approval asks a person)"));
    }
    problems.addAll(driftProblems(config));
    Object q = config.get(QUANTILES);
    if (q != null && !Configs.resolvesLater(q)) {
      Long n = null;
      try {
        n = Long.parseLong(String.valueOf(q));
      } catch (NumberFormatException e) {
        // reported below
      }
      if (n == null || n < 2 || n > 20) {
        problems.add(
            new ConfigProblem(
                QUANTILES,
                "quantiles must be a whole number from 2 to 20, was " + q,
                "quantiles: 5 (quintiles of the prediction, per ic_period)"));
      }
    }
    Object period = config.getOrDefault("ic_period", "day");
    if (!PERIODS.contains(String.valueOf(period))) {
      problems.add(
          new ConfigProblem(
              "ic_period",
              "unknown ic_period '" + period + "'",
              "use one of " + String.join(", ", PERIODS)));
    }
    return problems;
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    Path dir = Path.of(Configs.string(cfg, "input"));
    Path predictions = dir.resolve(TrainTask.PREDICTIONS_FILE);
    Path modelJson = dir.resolve(TrainTask.MODEL_JSON);
    if (!Files.isRegularFile(predictions) || !Files.isRegularFile(modelJson)) {
      throw TaskFailure.nonRetryable(
          "input " + dir + " is not a train task's output (no " + TrainTask.PREDICTIONS_FILE + ")");
    }
    Map<String, Object> model = Json.read(modelJson);
    boolean classification = "classification".equals(model.get("kind"));
    String time = String.valueOf(model.get("time_column"));
    String period = Configs.string(cfg, "ic_period", "day");
    Map<String, Object> metrics = new LinkedHashMap<>();
    try (Connection db = Duck.open(cfg)) {
      Sql.exec(
          db,
          // a view, not a temp view: the connections Duck.parallel opens see it too
          "CREATE VIEW p AS SELECT fold, actual, prediction, date_trunc('"
              + period
              + "', "
              + Sql.ident(time)
              + ") AS period, "
              + Sql.ident(time)
              + " AS __t FROM read_parquet("
              + Sql.literal(predictions.toAbsolutePath().toString())
              + ")");
      metrics.put("kind", model.get("kind"));
      metrics.put("algorithm", model.get("algorithm"));
      metrics.put("model_hash", model.get("model_hash"));
      metrics.put("ic_period", period);
      Map<String, Object> overall = score(db, "TRUE", classification);
      metrics.put("overall", overall);
      List<Map<String, Object>> folds = new ArrayList<>();
      List<Map<String, Object>> foldIds = Sql.rows(db, "SELECT DISTINCT fold FROM p ORDER BY fold");
      for (Map<String, Object> f : foldIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fold", f.get("fold"));
        // one fold (a holdout) holds every prediction: its metrics are the overall ones
        m.putAll(
            foldIds.size() == 1 ? overall : score(db, "fold = " + f.get("fold"), classification));
        folds.add(m);
      }
      metrics.put("folds", folds);
      if (!classification && cfg.get(QUANTILES) != null) {
        Map<String, Object> q =
            Metrics.quantiles(db, "TRUE", (int) Configs.integer(cfg, QUANTILES, 5));
        overall.put("spread_mean", q.get("spread_mean"));
        overall.put("spread_tstat", q.get("spread_tstat"));
        metrics.put(QUANTILES, q);
      }
      // the IC's series beside the metrics, not among them: a list is no metric to gate or diff
      Object series = overall.remove(Metrics.IC_BY_PERIOD);
      folds.forEach(f -> f.remove(Metrics.IC_BY_PERIOD));
      benchmarks(db, predictions, model, classification, overall, folds);
      Map<String, Object> driftCfg = driftConfig(cfg);
      if (driftCfg != null) {
        Map<String, Object> drift =
            Drift.of(
                db,
                Path.of(String.valueOf(driftCfg.get("data"))),
                model,
                (int) Configs.integer(driftCfg, "bins", Drift.DEFAULT_BINS));
        metrics.put("drift", drift);
        overall.put("max_psi", drift.get("max_psi")); // a gate may name it
        Files.writeString(ctx.outputDir().resolve(DRIFT_REPORT), Drift.report(drift));
      }
      List<Gate> gates = Gate.parse(cfg.get("gate"));
      List<String> breaches = new ArrayList<>();
      for (Gate g : gates) {
        String b = g.breach(overall, null);
        if (b != null) {
          breaches.add(b);
        }
      }
      if (series != null) {
        metrics.put(Metrics.IC_BY_PERIOD, series);
      }
      metrics.put(
          "gate",
          Json.ordered(
              "passed", breaches.isEmpty(),
              "breaches", breaches,
              "thresholds", gates.stream().map(Gate::describe).toList()));
      Json.write(ctx.outputDir().resolve(METRICS_FILE), metrics);
      ctx.log().info("metrics: " + overall);
      // the verdict first: a summary line cut short still shows it
      ctx.output("breached", Boolean.toString(!breaches.isEmpty()));
      for (String key :
          List.of(
              "r2",
              R2_VS_PERSISTENCE,
              "rmse",
              "mae",
              "ic_mean",
              "accuracy",
              "accuracy_over_baseline",
              "roc_auc",
              "f1",
              "max_psi")) {
        if (overall.get(key) != null) {
          ctx.output(key, String.valueOf(overall.get(key)));
        }
      }
      ctx.output("breaches", String.join("; ", breaches));
      if (!breaches.isEmpty()) {
        if ("review".equals(Configs.string(cfg, "on_breach", "fail"))) {
          ctx.log().info("gate breached, asking for review: " + String.join("; ", breaches));
        } else {
          throw TaskFailure.nonRetryable("gate failed: " + String.join("; ", breaches));
        }
      }
    }
  }

  /** The {@code drift:} settings, or null when drift is not asked for. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> driftConfig(Map<String, Object> cfg) {
    return cfg.get("drift") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
  }

  private static List<ConfigProblem> driftProblems(Map<String, Object> config) {
    List<ConfigProblem> problems = new ArrayList<>();
    Object drift = config.get("drift");
    boolean gated = config.get("gate") instanceof Map<?, ?> g && g.containsKey("max_psi");
    if (drift == null) {
      if (gated) {
        problems.add(
            new ConfigProblem(
                "gate.max_psi",
                "a gate on max_psi needs drift: evaluate measures it only when asked",
                "drift: {data: ${tasks.label.output_dir}}"));
      }
      return problems;
    }
    if (!(drift instanceof Map<?, ?> m)
        || !(m.get("data") instanceof String data)
        || data.isBlank()) {
      problems.add(
          new ConfigProblem(
              "drift",
              "drift needs data: the rows the model was trained on",
              "drift: {data: ${tasks.label.output_dir}}"));
      return problems;
    }
    Object bins = m.get("bins");
    if (bins != null && !(bins instanceof Integer n && n >= 2 && n <= 100)) {
      problems.add(
          new ConfigProblem(
              "drift.bins", "bins must be a whole number from 2 to 100, was " + bins, "bins: 10"));
    }
    return problems;
  }

  /** Each fold's {@code key} in model.json, by fold number; null when a fold lacks it. */
  private static Map<Object, Double> perFold(Map<String, Object> model, String key) {
    if (!(model.get("folds") instanceof List<?> folds)) {
      return null;
    }
    Map<Object, Double> out = new LinkedHashMap<>();
    for (Object f : folds) {
      if (!(f instanceof Map<?, ?> m) || !(m.get(key) instanceof Number n)) {
        return null; // trained before train recorded it
      }
      out.put(m.get("fold"), n.doubleValue());
    }
    return out;
  }

  static final String R2_VS_PERSISTENCE = "r2_vs_persistence";

  /**
   * The horizon of a {@code value} label the model predicts (the column's value {@code horizon}
   * rows ahead), or 0 for any other target: only such a level has "no change" as its naive
   * forecast.
   */
  private static int valueHorizon(Map<String, Object> model) {
    return model.get("label") instanceof Map<?, ?> l
            && "value".equals(l.get("kind"))
            && l.get("horizon") instanceof Number h
        ? h.intValue()
        : 0;
  }

  /**
   * The view {@code persisted}: each prediction beside the no-change forecast known when it was
   * made, the column's value at the row's own time. A value label is the column {@code horizon}
   * rows ahead, so that value is the actual of the row {@code horizon} rows before, in the same
   * fold (and symbol); the first {@code horizon} rows of each have none. Train writes predictions
   * in time order, so without symbols that row is {@code horizon} rows back in the file: a
   * streaming lag, where a window sorting 2M rows took three times as long.
   */
  private static void persistenceView(
      Connection db, Path predictions, Map<String, Object> model, int horizon)
      throws java.sql.SQLException {
    String file = Sql.literal(predictions.toAbsolutePath().toString());
    Object symbol = model.get("symbol_column");
    String unchanged =
        symbol == null
            ? "CASE WHEN lag(fold, "
                + horizon
                + ") OVER () = fold THEN lag(actual, "
                + horizon
                + ") OVER () END"
            : "lag(actual, "
                + horizon
                + ") OVER (PARTITION BY fold, "
                + Sql.ident(String.valueOf(symbol))
                + " ORDER BY "
                + Sql.ident(String.valueOf(model.get("time_column")))
                + ", file_row_number)";
    Sql.exec(
        db,
        "CREATE VIEW persisted AS SELECT fold, actual, prediction, "
            + unchanged
            + " AS unchanged FROM read_parquet("
            + file
            + ", file_row_number = true)");
  }

  /**
   * R² against the no-change forecast: 1 - the model's squared errors over those of forecasting the
   * column's current value, on the rows that have one. Near 1 for a price level, r2 says little
   * (tomorrow's close is mostly today's); this is positive only when the model beats "no change".
   */
  private static String vsPersistence(String where) {
    return "SELECT 1 - sum((actual - prediction) ^ 2) / nullif(sum((actual - unchanged) ^ 2), 0)"
        + " AS r FROM persisted WHERE unchanged IS NOT NULL AND "
        + where;
  }

  /**
   * The benchmarks known when the predictions were made, into the overall metrics and each fold's:
   * {@link #baseline} (oos_r2, or baseline_accuracy and accuracy_over_baseline) and, for a value
   * label, {@link #vsPersistence}. Each is one query on one thread (the same bits every run), all
   * of them side by side.
   */
  private static void benchmarks(
      Connection db,
      Path predictions,
      Map<String, Object> model,
      boolean classification,
      Map<String, Object> overall,
      List<Map<String, Object>> folds)
      throws java.sql.SQLException {
    Map<Object, Double> perFold =
        perFold(
            model, classification ? TrainTask.TRAIN_POSITIVE_RATE : TrainTask.TRAIN_TARGET_MEAN);
    int horizon = classification ? 0 : valueHorizon(model);
    if (horizon > 0) {
      persistenceView(db, predictions, model, horizon);
    }
    // overall, and each fold of several (one fold, a holdout, holds every prediction)
    List<List<Map<String, Object>>> scopes = new ArrayList<>();
    List<String> wheres = new ArrayList<>();
    scopes.add(folds.size() == 1 ? List.of(overall, folds.getFirst()) : List.of(overall));
    wheres.add("TRUE");
    for (Map<String, Object> f : folds.size() == 1 ? List.<Map<String, Object>>of() : folds) {
      scopes.add(List.of(f));
      wheres.add("fold = " + f.get("fold"));
    }
    List<String> queries = new ArrayList<>();
    for (String where : wheres) {
      if (perFold != null) {
        queries.add(baseline(where, perFold, classification));
      }
      if (horizon > 0) {
        queries.add(vsPersistence(where));
      }
    }
    java.util.Iterator<List<Map<String, Object>>> results = Duck.parallel(db, queries).iterator();
    for (List<Map<String, Object>> targets : scopes) {
      if (perFold != null) {
        Double v = number(results.next());
        for (Map<String, Object> t : targets) {
          put(
              t,
              classification ? "accuracy" : "r2",
              classification ? "baseline_accuracy" : "oos_r2",
              v);
          if (classification) {
            overBaseline(t);
          }
        }
      }
      if (horizon > 0) {
        Double v = number(results.next());
        for (Map<String, Object> t : targets) {
          put(t, t.containsKey("oos_r2") ? "oos_r2" : "r2", R2_VS_PERSISTENCE, v);
        }
      }
    }
  }

  /** The figure {@code r} of a benchmark query's one row, or null. */
  private static Double number(List<Map<String, Object>> rows) {
    return !rows.isEmpty() && rows.getFirst().get("r") instanceof Number n ? n.doubleValue() : null;
  }

  /**
   * How the predictions fare against the guess that needs no model, known when they were made: each
   * fold's training window. For regression the out-of-sample R² against its mean target (Campbell
   * and Thompson's, for returns: r2 measures against the test window's own mean, which nobody knew
   * then, and this one is positive only when the model beats the historical mean); for
   * classification the accuracy of always answering its majority class. One thread: the same bits
   * every run.
   */
  private static String baseline(
      String where, Map<Object, Double> perFold, boolean classification) {
    StringBuilder guess = new StringBuilder("CASE fold");
    perFold.forEach(
        (fold, v) ->
            guess
                .append(" WHEN ")
                .append(fold)
                .append(" THEN ")
                .append(classification ? (v >= 0.5 ? "1" : "0") : Double.toString(v)));
    guess.append(" END");
    return classification
        ? "SELECT avg(CAST(actual = " + guess + " AS DOUBLE)) AS r FROM p WHERE " + where
        : "SELECT 1 - sum((actual - prediction) ^ 2) / nullif(sum((actual - "
            + guess
            + ") ^ 2), 0) AS r FROM p WHERE "
            + where;
  }

  /**
   * {@code accuracy_over_baseline}, after the baseline: what the model adds to always answering the
   * training window's majority class. A gate's {@code {min: 0}} refuses a model that calls
   * directions no better than that, whatever the market's drift in the window.
   */
  private static void overBaseline(Map<String, Object> m) {
    if (m.get("accuracy") instanceof Number a && m.get("baseline_accuracy") instanceof Number b) {
      put(m, "baseline_accuracy", "accuracy_over_baseline", a.doubleValue() - b.doubleValue());
    }
  }

  /** {@code name} into {@code metrics}, right after {@code after}. */
  private static void put(Map<String, Object> metrics, String after, String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(metrics);
    metrics.clear();
    copy.forEach(
        (k, v) -> {
          metrics.put(k, v);
          if (k.equals(after)) {
            metrics.put(name, value);
          }
        });
  }

  private static Map<String, Object> score(Connection db, String where, boolean classification)
      throws java.sql.SQLException {
    return classification ? Metrics.classification(db, where) : Metrics.regression(db, where);
  }
}
