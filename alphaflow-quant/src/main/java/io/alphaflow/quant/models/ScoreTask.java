package io.alphaflow.quant.models;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Type {@code score}: batch predictions with a registered model (default: the champion) on a
 * features data set, written as {@code data.parquet}: the input columns plus {@code prediction} (a
 * probability for classifiers, with {@code predicted_class}).
 */
public final class ScoreTask implements QuantTask {
  @Override
  public String codeVersion() {
    return ModelFiles.codeVersion(getClass());
  }

  @Override
  public boolean usesModelRegistry() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys("input", "name", "version");
  }

  @Override
  public String type() {
    return "score";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(ModelFiles.nameProblems(config, "name: hft_factor"));
    problems.addAll(Configs.required(config, "input", "input: ${tasks.features.output_dir}"));
    return problems;
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    String name = Configs.string(cfg, "name");
    ModelVersion v =
        ctx.models().find(name, Configs.string(cfg, "version", ModelRegistry.CHAMPION));
    String gone = ctx.models().filesProblem(v);
    if (gone != null) {
      throw TaskFailure.nonRetryable(gone);
    }
    Path dir = Path.of(v.path());
    Model model = ModelFiles.load(dir);
    Map<String, Object> json = ModelFiles.json(dir, TrainTask.MODEL_JSON);
    @SuppressWarnings("unchecked")
    List<String> features = (List<String>) json.get("features");
    boolean classifier = "classification".equals(json.get("kind"));
    Path input = Dataset.resolve(Configs.string(cfg, "input"));
    FeatureDefinitions.check(json, input, ctx.log());
    Path out = ctx.outputDir().resolve(Dataset.DATA_FILE);
    try (Connection db = Duck.open(cfg)) {
      String src = Dataset.scan(input);
      Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + src);
      Configs.requireColumns(
          columns,
          input.toString(),
          features.stream()
              .flatMap(f -> java.util.stream.Stream.of("feature", f))
              .toArray(String[]::new));
      Predict.view(db, model, features, src, "scored");
      String extra = classifier ? ", CAST(prediction >= 0.5 AS INTEGER) AS predicted_class" : "";
      Dataset.writeParquet(db, "SELECT *" + extra + " FROM scored", out);
      // counted from the file just written, in one pass: the view would predict every row again
      String inSample = inTrainingWindow(json, columns);
      Map<String, Object> r =
          Sql.row(
              db,
              "SELECT count(*) AS n, count(prediction) AS scored"
                  + (inSample == null
                      ? ""
                      : ", count(prediction) FILTER (WHERE " + inSample + ") AS in_sample")
                  + " FROM "
                  + Dataset.own(out, null));
      long n = ((Number) r.get("n")).longValue();
      long scored = ((Number) r.get("scored")).longValue();
      if (scored == 0 && n > 0) {
        throw TaskFailure.nonRetryable(
            "no row of "
                + input
                + " has every feature the model needs ("
                + String.join(", ", features)
                + ")");
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("model", name);
      meta.put("version", v.version());
      meta.put("rows", n);
      meta.put("rows_scored", scored);
      meta.put("rows_without_features", n - scored);
      if (inSample != null) {
        reportInSample(json, ((Number) r.get("in_sample")).longValue(), ctx, meta);
      }
      Json.write(ctx.outputDir().resolve(Dataset.METADATA_FILE), meta);
      ctx.output("version", v.version());
      ctx.output("rows_scored", Long.toString(scored));
      ctx.log()
          .info("scored " + scored + " of " + n + " rows with '" + name + "' " + v.shortVersion());
    }
  }

  /**
   * The condition on a scored row that it lies in the window the model was trained on; null when
   * the model records none or the input has no time column.
   */
  private static String inTrainingWindow(Map<String, Object> model, Map<String, String> columns) {
    String time = (String) model.get("time_column");
    if (!(model.get("training_window") instanceof Map<?, ?> window)
        || window.get("from") == null
        || window.get("to") == null
        || time == null
        || !columns.containsKey(time)) {
      return null;
    }
    return ModelFiles.inWindow("CAST(" + Sql.ident(time) + " AS TIMESTAMP)", window);
  }

  /**
   * How many scored rows lie in the model's training window, into {@code meta} (with the window):
   * their predictions are in-sample, fitted rather than forecast, and a quant reading them as a
   * test of the model would be misled.
   */
  private static void reportInSample(
      Map<String, Object> model, long inSample, TaskContext ctx, Map<String, Object> meta) {
    Object window = model.get("training_window");
    meta.put("training_window", window);
    meta.put("rows_in_training_window", inSample);
    if (inSample > 0) {
      ctx.log()
          .info(
              inSample
                  + " of the rows scored lie in the model's training window ("
                  + ModelVersion.span(window).orElse(String.valueOf(window))
                  + "): their predictions are in-sample, not a test of the model");
    }
  }
}
