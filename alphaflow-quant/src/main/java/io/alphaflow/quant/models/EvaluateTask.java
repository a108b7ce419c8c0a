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
import java.sql.SQLException;
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
  public java.util.Set<String> configKeys() {
    return QuantTask.keys("input", "ic_period", QUANTILES, "drift", "gate", "on_breach");
  }

  @Override
  public String type() {
    return "evaluate";
  }

  /**
   * In metrics.json: how many following periods each period's labels reach into, the lags of the
   * Newey-West t-statistics ({@code ic_tstat_nw}); {@link ChampionComparison} scores with the same.
   */
  static final String IC_OVERLAP_LAGS = "ic_overlap_lags";

  /** How many buckets of the prediction the quantile analysis splits each period into. */
  static final String QUANTILES = "quantiles";

  private static final int MIN_QUANTILES = 2;
  private static final int MAX_QUANTILES = 20;
  private static final String BINS = "bins";
  private static final int MIN_BINS = 2;
  private static final int MAX_BINS = 100;

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(Configs.required(config, "input", "input: ${tasks.train.output_dir}"));
    problems.addAll(Gate.problems(config.get("gate"), "gate"));
    problems.addAll(
        Configs.oneOf(
            "on_breach",
            "on_breach",
            config.get("on_breach"),
            List.of("fail", "review"),
            "use fail (the task fails) or review (a later approval asks a person)"));
    problems.addAll(driftProblems(config));
    problems.addAll(
        Configs.integerInProblem(
            QUANTILES,
            config.get(QUANTILES),
            MIN_QUANTILES,
            MAX_QUANTILES,
            "quantiles: 5 (quintiles of the prediction, per ic_period)"));
    problems.addAll(
        Configs.oneOf(
            "ic_period",
            "ic_period",
            config.get("ic_period"),
            PERIODS,
            "use one of " + String.join(", ", PERIODS)));
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
      String file = "read_parquet(" + Sql.literal(predictions.toAbsolutePath().toString()) + ")";
      // a value label's current value, where train wrote it: the hit rate's direction of change
      boolean unchanged =
          Sql.columns(db, "SELECT * FROM " + file).containsKey(Benchmarks.UNCHANGED);
      Sql.exec(
          db,
          // a view, not a temp view: the connections Duck.parallel opens see it too
          "CREATE VIEW p AS SELECT fold, actual, prediction, "
              + (unchanged ? Benchmarks.UNCHANGED + ", " : "")
              + "date_trunc('"
              + period
              + "', "
              + Sql.ident(time)
              + ") AS period, "
              + Sql.ident(time)
              + " AS __t FROM "
              + file);
      metrics.put("kind", model.get("kind"));
      metrics.put("algorithm", model.get("algorithm"));
      metrics.put("model_hash", model.get("model_hash"));
      metrics.put("ic_period", period);
      int lags = classification ? 0 : overlapLags(db, model, file, period);
      metrics.put(IC_OVERLAP_LAGS, lags);
      sayOverlap(ctx, cfg, period, lags);
      Map<String, Object> overall = score(db, "TRUE", classification, lags);
      metrics.put("overall", overall);
      sayUndefined(ctx, db, overall, classification, period);
      List<Map<String, Object>> folds = new ArrayList<>();
      List<Map<String, Object>> foldIds = Sql.rows(db, "SELECT DISTINCT fold FROM p ORDER BY fold");
      for (Map<String, Object> f : foldIds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fold", f.get("fold"));
        // one fold (a holdout) holds every prediction: its metrics are the overall ones
        m.putAll(
            foldIds.size() == 1
                ? overall
                : score(db, "fold = " + f.get("fold"), classification, lags));
        folds.add(m);
      }
      metrics.put("folds", folds);
      if (!classification && cfg.get(QUANTILES) != null) {
        Map<String, Object> q =
            Metrics.quantiles(
                db,
                "TRUE",
                (int) Configs.integerIn(cfg, QUANTILES, MIN_QUANTILES, MAX_QUANTILES, 5),
                lags);
        overall.put("spread_mean", q.get("spread_mean"));
        overall.put("spread_tstat", q.get("spread_tstat"));
        overall.put("spread_tstat_nw", q.get("spread_tstat_nw"));
        metrics.put(QUANTILES, q);
        if (Long.valueOf(0).equals(q.get("periods"))) {
          ctx.log()
              .warn(
                  "no "
                      + period
                      + " holds the "
                      + q.get("count")
                      + " predictions that fill every quantile, so the spread is empty: set"
                      + " ic_period to a longer period, or fewer quantiles");
        }
      }
      // the IC's series beside the metrics, not among them: a list is no metric to gate or diff
      Object series = overall.remove(Metrics.IC_BY_PERIOD);
      folds.forEach(f -> f.remove(Metrics.IC_BY_PERIOD));
      Benchmarks.add(db, model, classification, overall, folds);
      Map<String, Object> driftCfg = driftConfig(cfg);
      if (driftCfg != null) {
        Map<String, Object> drift =
            Drift.of(
                db,
                Path.of(String.valueOf(driftCfg.get("data"))),
                model,
                (int) Configs.integerIn(driftCfg, BINS, MIN_BINS, MAX_BINS, Drift.DEFAULT_BINS));
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
              Benchmarks.R2_VS_PERSISTENCE,
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
    problems.addAll(Configs.unknownKeys("drift", m, List.of("data", BINS)));
    problems.addAll(
        Configs.integerInProblem("drift." + BINS, m.get(BINS), MIN_BINS, MAX_BINS, "bins: 10"));
    return problems;
  }

  /**
   * Says in the task's log why a metric has no value on the test rows, where the reason is known:
   * actuals that do not vary (r2), one class (roc_auc), or periods too short or too flat for an IC.
   */
  private static void sayUndefined(
      TaskContext ctx,
      Connection db,
      Map<String, Object> overall,
      boolean classification,
      String period)
      throws SQLException {
    if (!classification
        && overall.get("r2") == null
        && overall.get("rows") instanceof Long n
        && n > 0) {
      ctx.log()
          .warn(
              "the actuals are all the same over the "
                  + n
                  + " test rows, so r2 (and oos_r2, r2_vs_persistence) is undefined: is the"
                  + " label's column constant there?");
    }
    if (classification
        && overall.containsKey("roc_auc")
        && overall.get("roc_auc") == null
        && overall.get("rows") instanceof Long n
        && n > 0) {
      ctx.log()
          .warn(
              "all "
                  + n
                  + " test rows are of one class, so roc_auc (which ranks the positives against"
                  + " the negatives) is undefined: test on a longer window, or on a label that"
                  + " splits more evenly");
    }
    if (!classification && Long.valueOf(0).equals(overall.get("ic_periods"))) {
      long filled = Sql.count(db, "(SELECT period FROM p GROUP BY period HAVING count(*) >= 3)");
      ctx.log()
          .warn(
              filled > 0
                  // a correlation needs both sides to vary
                  ? "in each of the "
                      + filled
                      + " "
                      + period
                      + "(s) that hold 3 or more predictions, the predictions or the actuals"
                      + " ("
                      + overall.get(Metrics.IC_BASIS)
                      + ") are all the same, so the IC is undefined and ic_mean and its"
                      + " t-statistics are empty: a constant target, or a model that predicts"
                      + " one value"
                  : "no "
                      + period
                      + " holds the 3 predictions an IC needs (a single series' daily bars have"
                      + " one a day), so ic_mean and the IC's t-statistics are empty: set"
                      + " ic_period to a longer period (week, month), or score several symbols"
                      + " at once");
    }
  }

  /**
   * Says in the task's log when the labels reach past their period ({@code lags} above 0), and
   * warns of a gate on a plain t-statistic then.
   */
  private static void sayOverlap(
      TaskContext ctx, Map<String, Object> cfg, String period, int lags) {
    if (lags <= 0) {
      return;
    }
    ctx.log()
        .info(
            "each "
                + period
                + "'s labels reach into the next "
                + lags
                + " "
                + period
                + "(s): their ICs are not independent, so ic_tstat overstates how sure the"
                + " mean IC is; ic_tstat_nw (Newey-West, "
                + lags
                + " lags) does not");
    for (Gate g : Gate.parse(cfg.get("gate"))) {
      if (List.of("ic_tstat", "rank_ic_tstat", "spread_tstat").contains(g.metric())) {
        ctx.log()
            .warn(
                "the gate on "
                    + g.metric()
                    + " takes the overlapping periods as independent and lets through"
                    + " factors it should not: gate on "
                    + g.metric()
                    + "_nw instead");
      }
    }
  }

  private static Map<String, Object> score(
      Connection db, String where, boolean classification, int lags) throws SQLException {
    return classification ? Metrics.classification(db, where) : Metrics.regression(db, where, lags);
  }

  /**
   * {@link Metrics#overlapLags} of the model's label (its horizon in rows, from model.json; none
   * known, none assumed) over the predictions' periods, with the rows a symbol has in a period
   * counted in {@code predictions}: the median over its periods, which a test window's first and
   * last, cut short, do not move.
   */
  private static int overlapLags(
      Connection db, Map<String, Object> model, String predictions, String period)
      throws SQLException {
    if (!(model.get("label") instanceof Map<?, ?> label)
        || !(label.get("horizon") instanceof Number h)
        || h.intValue() <= 1) {
      return 0;
    }
    String time = Sql.ident(String.valueOf(model.get("time_column")));
    Object symbol = model.get("symbol_column");
    String group =
        "date_trunc('"
            + period
            + "', "
            + time
            + ")"
            + (symbol == null ? "" : ", " + Sql.ident(String.valueOf(symbol)));
    Object perPeriod =
        Sql.row(
                db,
                "SELECT median(n) AS r FROM (SELECT count(*) AS n FROM "
                    + predictions
                    + " GROUP BY "
                    + group
                    + ")")
            .get("r");
    return Metrics.overlapLags(h.intValue(), perPeriod instanceof Number r ? r.doubleValue() : 0);
  }
}
