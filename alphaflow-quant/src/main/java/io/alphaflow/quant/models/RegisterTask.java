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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Type {@code register}: stores a {@code train} task's model in the registry as a version named by
 * its content hash, with {@code manifest.json}: data hash, features, params, metrics (from an
 * {@code evaluate} task), training window, code version, parent run. Registering the same model
 * again changes nothing.
 */
public final class RegisterTask implements QuantTask {
  public static final String MANIFEST = "manifest.json";

  @Override
  public boolean usesModelRegistry() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys("name", "model", "metrics");
  }

  @Override
  public String type() {
    return "register";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(ModelFiles.nameProblems(config, "name: hft_factor"));
    problems.addAll(Configs.required(config, "model", "model: ${tasks.train.output_dir}"));
    return problems;
  }

  /**
   * What approving the registration does: which model becomes a version of which name, and what its
   * evaluation's gate said of it (the usual reason to ask: {@code on_breach: review}).
   */
  @Override
  public String approvalSubject(Map<String, Object> cfg, ModelRegistry registry) {
    String name = Configs.string(cfg, "name");
    Map<String, Object> model =
        ModelFiles.json(Path.of(Configs.string(cfg, "model")), TrainTask.MODEL_JSON);
    String version = String.valueOf(model.get("model_hash"));
    boolean known = registry.versions(name).stream().anyMatch(v -> v.version().equals(version));
    StringBuilder sb =
        new StringBuilder("approving registers ")
            .append(model.get("algorithm"))
            .append(' ')
            .append(ModelVersion.shortOf(version))
            .append(" as a version of '")
            .append(name)
            .append("'")
            .append(known ? " (it is one already)" : "");
    String metricsDir = Configs.string(cfg, "metrics", null);
    if (metricsDir != null
        && ModelFiles.json(Path.of(metricsDir), EvaluateTask.METRICS_FILE).get("gate")
            instanceof Map<?, ?> gate) {
      sb.append(
          Boolean.TRUE.equals(gate.get("passed"))
              ? "; its evaluation's gate passed"
              : "; its evaluation's gate did not pass: "
                  + String.join(
                      "; ",
                      ((List<?>) gate.get("breaches")).stream().map(String::valueOf).toList()));
    }
    return sb.toString();
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    String name = Configs.string(cfg, "name");
    Path trained = Path.of(Configs.string(cfg, "model"));
    Map<String, Object> model = ModelFiles.json(trained, TrainTask.MODEL_JSON);
    ModelFiles.load(trained); // refuse what cannot be served
    Path staged = ctx.outputDir();
    Files.copy(
        trained.resolve(TrainTask.MODEL_FILE),
        staged.resolve(TrainTask.MODEL_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        trained.resolve(TrainTask.MODEL_JSON),
        staged.resolve(TrainTask.MODEL_JSON),
        StandardCopyOption.REPLACE_EXISTING);
    // the out-of-sample predictions its metrics come from: promote compares the next candidate's
    // with the champion's on the same rows (compare_on)
    if (Files.isRegularFile(trained.resolve(TrainTask.PREDICTIONS_FILE))) {
      Files.copy(
          trained.resolve(TrainTask.PREDICTIONS_FILE),
          staged.resolve(TrainTask.PREDICTIONS_FILE),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Map<String, Object> metrics = Map.of();
    String metricsDir = Configs.string(cfg, "metrics", null);
    if (metricsDir != null) {
      Map<String, Object> all = ModelFiles.json(Path.of(metricsDir), EvaluateTask.METRICS_FILE);
      Files.copy(
          Path.of(metricsDir, EvaluateTask.METRICS_FILE),
          staged.resolve(EvaluateTask.METRICS_FILE),
          StandardCopyOption.REPLACE_EXISTING);
      @SuppressWarnings("unchecked")
      Map<String, Object> overall = (Map<String, Object>) all.get("overall");
      metrics = overall;
    }
    String version = String.valueOf(model.get("model_hash"));
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("name", name);
    manifest.put("version", version);
    manifest.put("algorithm", model.get("algorithm"));
    manifest.put("kind", model.get("kind"));
    manifest.put("target", model.get("target"));
    if (model.get("label") != null) {
      manifest.put("label", model.get("label")); // which label the target is: kind, column, horizon
    }
    manifest.put("features", model.get("features"));
    manifest.put("params", model.get("params"));
    manifest.put("seed", model.get("seed"));
    manifest.put("split", model.get("split"));
    manifest.put("training_window", model.get("training_window"));
    manifest.put("data_hash", model.get("data_hash"));
    manifest.put("metrics", metrics);
    // what trained it, from model.json; a model trained before train recorded it: this build's
    manifest.put("code_version", model.getOrDefault("code_version", new TrainTask().codeVersion()));
    if (model.get("made_with") != null) {
      manifest.put("made_with", model.get("made_with"));
    }
    manifest.put("parent_run", ctx.runId());
    manifest.put("flow", ctx.flowName());
    Json.write(staged.resolve(MANIFEST), manifest);
    ModelVersion v =
        ctx.models()
            .register(
                name,
                version,
                staged,
                Files.readString(staged.resolve(MANIFEST)),
                ctx.runId(),
                ctx.taskId());
    ctx.output("name", name);
    ctx.output("version", v.version());
    ctx.log()
        .info(
            "registered model '"
                + name
                + "' version "
                + v.shortVersion()
                + (v.runId() != null && !v.runId().equals(ctx.runId())
                    ? " (the same model run " + v.runId() + " registered)"
                    : "")
                + " in "
                + v.path());
  }
}
