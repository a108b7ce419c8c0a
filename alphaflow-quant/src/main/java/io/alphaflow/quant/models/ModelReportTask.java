package io.alphaflow.quant.models;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Type {@code model_report}: a human-readable {@code report.md} of a training run, written with
 * {@code trigger_rule: all_done} so it runs whatever happened. When training produced no model it
 * says so and names the champion that stays in service: the output {@code outcome} is {@code
 * new_model}, {@code kept_previous_model} or {@code no_model} (seed 001's "keep the previous model"
 * as a visible result).
 */
public final class ModelReportTask implements QuantTask {
  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys("name", "train", "metrics", "promotion");
  }

  @Override
  public String type() {
    return "model_report";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    return ModelFiles.nameProblems(config, "name: factor_model");
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    String name = Configs.string(cfg, "name");
    Path train = path(cfg, "train");
    Path metrics = path(cfg, "metrics");
    ModelVersion champion = ctx.models().alias(name, ModelRegistry.CHAMPION).orElse(null);
    StringBuilder md = new StringBuilder("# Model report: ").append(name).append("\n\n");
    md.append("run ").append(ctx.runId()).append(" of flow ").append(ctx.flowName()).append("\n\n");
    String outcome;
    if (train != null && Files.isRegularFile(train.resolve(TrainTask.MODEL_JSON))) {
      outcome = "new_model";
      Map<String, Object> model = Json.read(train.resolve(TrainTask.MODEL_JSON));
      md.append("## New model\n\n")
          .append("- algorithm: ")
          .append(model.get("algorithm"))
          .append(" (")
          .append(model.get("kind"))
          .append(")\n")
          .append("- version: ")
          .append(model.get("model_hash"))
          .append('\n')
          .append("- features: ")
          .append(shown(model.get("features")))
          .append('\n')
          .append("- training window: ")
          .append(shown(model.get("training_window")))
          .append('\n');
    } else {
      outcome = champion == null ? "no_model" : "kept_previous_model";
      md.append("## Training produced no model\n\n")
          .append(
              champion == null
                  ? "There is no champion either: nothing serves predictions for '" + name + "'.\n"
                  : "Kept previous model: champion "
                      + champion.shortVersion()
                      + " (registered "
                      + champion.createdAt()
                      + " by run "
                      + champion.runId()
                      + ") stays in service.\n");
    }
    if (metrics != null && Files.isRegularFile(metrics.resolve(EvaluateTask.METRICS_FILE))) {
      Map<String, Object> m = Json.read(metrics.resolve(EvaluateTask.METRICS_FILE));
      md.append("\n## Out-of-sample metrics\n\n");
      if (m.get("overall") instanceof Map<?, ?> overall) {
        overall.forEach(
            (k, v) -> md.append("- ").append(k).append(": ").append(shown(v)).append('\n'));
        benchmarks(md, overall);
      }
      if (m.get(EvaluateTask.IC_OVERLAP_LAGS) instanceof Number lags && lags.intValue() > 0) {
        md.append("\nEach ")
            .append(m.get("ic_period"))
            .append("'s labels reach into the next ")
            .append(lags.intValue())
            .append(", so neighbouring ICs share future rows: ic_tstat_nw (Newey-West, ")
            .append(lags.intValue())
            .append(" lags) says how sure the mean IC is; ic_tstat, which takes them as")
            .append(" independent, overstates it.\n");
      }
      if (m.get("gate") instanceof Map<?, ?> gate) {
        List<?> breaches = gate.get("breaches") instanceof List<?> b ? b : List.of();
        List<?> thresholds = gate.get("thresholds") instanceof List<?> t ? t : List.of();
        md.append("\nGate: ")
            .append(
                thresholds.isEmpty()
                    ? "none set"
                    : breaches.isEmpty()
                        ? "passed (" + shown(thresholds) + ")"
                        : "breached: "
                            + breaches.stream()
                                .map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining("; ")))
            .append('\n');
      }
      Path drift = metrics.resolve(EvaluateTask.DRIFT_REPORT);
      if (Files.isRegularFile(drift)) {
        // evaluate's drift table, under this report's own heading
        md.append("\n## Drift\n\n");
        Files.readString(drift)
            .lines()
            .dropWhile(l -> l.startsWith("# ") || l.isBlank())
            .forEach(l -> md.append(l).append('\n'));
      }
    }
    Path promotion = path(cfg, "promotion");
    if (promotion != null) {
      promotion(md, promotion);
    }
    md.append("\n## Champion now\n\n")
        .append(champion == null ? "none" : champion.version() + " (" + champion.path() + ")")
        .append('\n');
    Files.writeString(ctx.outputDir().resolve("report.md"), md.toString());
    ctx.output("outcome", outcome);
    ctx.output("champion", champion == null ? "" : champion.version());
    ctx.log()
        .info(
            outcome.replace('_', ' ')
                + (champion == null ? "" : "; champion " + champion.shortVersion()));
  }

  /**
   * What the promote task did: the version it made champion, by whom, over which one, and how the
   * two compared (on the same rows with its compare_on); or that it promoted nothing.
   */
  private static void promotion(StringBuilder md, Path dir) throws java.io.IOException {
    md.append("\n## Promotion\n\n");
    Path manifest = dir.resolve(PromoteTask.DEPLOYMENT_MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      md.append("No version was promoted in this run (see the promote task's log).\n");
      return;
    }
    Map<String, Object> m = Json.readYaml(manifest);
    md.append("- promoted: ")
        .append(m.get("version"))
        .append(" by ")
        .append(m.get("promoted_by"))
        .append(" at ")
        .append(seconds(String.valueOf(m.get("promoted_at"))))
        .append('\n')
        .append("- previous champion: ")
        .append(m.get("previous_version") == null ? "none" : m.get("previous_version"))
        .append('\n');
    if (!(m.get("champion_comparison") instanceof Map<?, ?> c)) {
      return;
    }
    md.append("- compared on: ").append(c.get("basis"));
    if (c.get("why") != null) {
      md.append(" (").append(c.get("why")).append(')');
    }
    md.append('\n');
    if (c.get("candidate") instanceof Map<?, ?> cand && c.get("champion") instanceof Map<?, ?> ch) {
      md.append("\n")
          .append(c.get("rows"))
          .append(" rows, ")
          .append(shown(c.get("window")))
          .append(", out of both models' samples:\n\n| metric | new | previous |\n|---|---|---|\n");
      cand.forEach(
          (k, v) -> {
            if (v instanceof Number) {
              md.append("| ")
                  .append(k)
                  .append(" | ")
                  .append(shown(v))
                  .append(" | ")
                  .append(shown(ch.get(k)))
                  .append(" |\n");
            }
          });
    }
  }

  /**
   * What the metrics say against the forecasts that need no model, in words: a stakeholder reading
   * "r2 0.93" of a price level, or "accuracy 0.45", cannot tell whether the model helps.
   */
  private static void benchmarks(StringBuilder md, Map<?, ?> overall) {
    List<String> lines = new java.util.ArrayList<>();
    if (overall.get("accuracy") instanceof Number a
        && overall.get("baseline_accuracy") instanceof Number b) {
      double edge = a.doubleValue() - b.doubleValue();
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "The model calls %.1f%% of the test rows right; always answering each training"
                  + " window's majority class would call %.1f%%: the model does %s.",
              100 * a.doubleValue(),
              100 * b.doubleValue(),
              Math.abs(edge) < 0.0005
                  ? "no better"
                  : String.format(
                      java.util.Locale.ROOT,
                      "%s by %.1f points",
                      edge > 0 ? "better" : "worse",
                      100 * Math.abs(edge))));
    }
    if (overall.get("oos_r2") instanceof Number o) {
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "Against the training window's mean target (known when predicting), R² is %.4f: %s.",
              o.doubleValue(),
              o.doubleValue() > 0
                  ? "the model beats the mean"
                  : "the mean does as well or better"));
    }
    if (overall.get(Benchmarks.R2_VS_PERSISTENCE) instanceof Number p) {
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "Against no change (the target column's value at the time of the prediction), R² is"
                  + " %.4f: %s.",
              p.doubleValue(),
              p.doubleValue() > 0
                  ? "the model adds to today's value"
                  : "today's value forecasts as well or better"));
    }
    if (Metrics.CHANGE_DIRECTION.equals(overall.get(Metrics.HIT_RATE_BASIS))
        && overall.get("hit_rate") instanceof Number h) {
      lines.add(
          String.format(
              java.util.Locale.ROOT,
              "It calls the direction of the change from that value on %.1f%% of the test rows"
                  + " (a coin calls half).",
              100 * h.doubleValue()));
    }
    if (!lines.isEmpty()) {
      md.append("\n").append(String.join("\n", lines)).append('\n');
    }
  }

  /**
   * A value as a person reads it: counts whole, other numbers to 4 places, a window as "from to
   * to", other maps as k=v and lists comma-separated.
   */
  static String shown(Object v) {
    return ModelVersion.oneLine(
        v,
        x ->
            x instanceof Double || x instanceof Float
                ? String.format(java.util.Locale.ROOT, "%.4f", ((Number) x).doubleValue())
                : String.valueOf(x));
  }

  /** An instant to the second, as a person reads it; as given when it is not one. */
  private static String seconds(String instant) {
    try {
      return java.time.Instant.parse(instant)
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          .toString();
    } catch (java.time.format.DateTimeParseException e) {
      return instant;
    }
  }

  private static Path path(Map<String, Object> cfg, String key) {
    String v = Configs.string(cfg, key, null);
    return v == null ? null : Path.of(v);
  }
}
