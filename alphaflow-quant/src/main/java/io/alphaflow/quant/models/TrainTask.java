package io.alphaflow.quant.models;

import static java.util.stream.Collectors.joining;

import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.DidYouMean;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.features.FeaturesTask;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Type {@code train}: fits a model on the output of a {@code label} task with time-ordered splits
 * only (a holdout tail, or walk-forward folds with an embargo), and writes the fitted model ({@code
 * model.bin}, {@code model.json}) and its out-of-sample predictions per fold ({@code
 * predictions.parquet}) for {@code evaluate}. Seeded: the same inputs give the same model bytes.
 * Unstable training (non-finite predictions) is retryable; a retry uses {@code fallback_seed}.
 */
public final class TrainTask implements QuantTask {
  public static final String MODEL_FILE = "model.bin";
  public static final String MODEL_JSON = "model.json";
  public static final String PREDICTIONS_FILE = "predictions.parquet";

  /** A regression fold's mean target over its training window, in model.json's folds. */
  static final String TRAIN_TARGET_MEAN = "train_target_mean";

  /** A classification fold's share of class 1 over its training window, in model.json's folds. */
  static final String TRAIN_POSITIVE_RATE = "train_positive_rate";

  /** The seed of a train task that names none. */
  private static final long DEFAULT_SEED = 42;

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys(
        "input",
        "features",
        "target",
        "kind",
        "model",
        "split",
        "seed",
        "fallback_seed",
        "time_column",
        "symbol_column");
  }

  @Override
  public String type() {
    return "train";
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public String codeVersion() {
    return ModelFiles.codeVersion(getClass());
  }

  /**
   * What approving the training does, as its config says (seed 000's review of hyperparameters
   * before training): the model and its params, the features, the split and the seed.
   */
  @Override
  public String approvalSubject(Map<String, Object> cfg, ModelRegistry models) {
    Map<String, Object> model = new LinkedHashMap<>(Configs.map(cfg, "model"));
    Object type = model.remove("type");
    Object features = cfg.get("features");
    Object split = cfg.get("split");
    return "approving fits "
        + (type == null ? "linear_regression" : type)
        + (model.isEmpty() ? "" : " " + inline(model))
        + " on "
        + (features instanceof List<?> l
            ? l.size() + " feature(s): " + l.stream().map(String::valueOf).collect(joining(", "))
            : "the input's features (none listed)")
        + "; split "
        + (split instanceof Map<?, ?> m ? inline(m) : "{method: holdout, test_fraction: 0.2}")
        + "; seed "
        + seed(cfg, 1);
  }

  /**
   * The model's hyperparameters that its family does not take (a typo would otherwise leave the
   * default in place without a word) or that are out of range; a ${...} value is checked by the
   * attempt.
   */
  private static List<ConfigProblem> paramProblems(Algorithm algorithm, Map<String, Object> model) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, Algorithm.Param> known = new LinkedHashMap<>();
    algorithm.params().forEach(p -> known.put(p.name(), p));
    model.forEach(
        (key, value) -> {
          if (key.equals("type")) {
            return;
          }
          Algorithm.Param param = known.get(key);
          if (param == null) {
            problems.add(
                new ConfigProblem(
                    "model." + key,
                    algorithm.yamlName()
                        + " takes no '"
                        + key
                        + "' ("
                        + (known.isEmpty()
                            ? "it has no hyperparameters"
                            : "it takes " + String.join(", ", known.keySet()))
                        + ")",
                    known.isEmpty() ? "leave it out" : DidYouMean.hint(key, known.keySet())));
          } else if (!Configs.resolvesLater(value) && param.problem(value) != null) {
            problems.add(new ConfigProblem("model." + key, param.problem(value), null));
          }
        });
    return problems;
  }

  /** A flat map as a flow writes it: {@code {lambda: 0.5, max_iter: 100}}. */
  private static String inline(Map<?, ?> m) {
    return m.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(joining(", ", "{", "}"));
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(Configs.required(config, "input", "input: ${tasks.label.output_dir}"));
    Map<String, Object> model = Configs.map(config, "model");
    String type = String.valueOf(model.getOrDefault("type", "linear_regression"));
    // a family a template gives, and so the hyperparameters it takes, is checked once it resolves
    boolean later = Configs.resolvesLater(type);
    Algorithm algorithm = later ? null : Algorithm.fromYaml(type);
    if (algorithm == null && !later) {
      problems.add(
          new ConfigProblem(
              "model.type",
              "unknown model type '" + type + "'",
              "use one of " + String.join(", ", Algorithm.names())));
    }
    if (algorithm != null) {
      problems.addAll(paramProblems(algorithm, model));
    }
    Object kind = config.get("kind");
    if (kind != null && !Configs.resolvesLater(kind)) {
      try {
        Objective objective = Objective.fromYaml(String.valueOf(kind));
        if (algorithm != null && !algorithm.supports(objective)) {
          problems.add(
              new ConfigProblem(
                  "kind",
                  type + " does not do " + kind,
                  objective == Objective.CLASSIFICATION
                      ? "use logistic_regression, random_forest or gradient_boosting"
                      : "use linear_regression, ridge, lasso, random_forest or gradient_boosting"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(new ConfigProblem("kind", e.getMessage(), null));
      }
    }
    problems.addAll(Split.problems(config.get("split")));
    problems.addAll(Configs.wholeNumber(config, "seed", "seed: 42"));
    problems.addAll(Configs.wholeNumber(config, "fallback_seed", "fallback_seed: 7"));
    return problems;
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    Path input = Dataset.resolve(Configs.string(cfg, "input"));
    Map<String, Object> meta = inputMetadata(input);
    Map<?, ?> label = meta.get("label") instanceof Map<?, ?> m ? m : Map.of();
    String labelKind = label.get("kind") == null ? null : String.valueOf(label.get("kind"));
    Objective objective =
        Objective.fromYaml(
            Configs.string(
                cfg,
                "kind",
                "direction".equals(labelKind) || "above_median".equals(labelKind)
                    ? "classification"
                    : "regression"));
    // an above_median label splits at the median of the whole input, future included: classify
    // the value it was made from instead, split at each training window's own median
    String value = cfg.get("target") == null ? (String) label.get("value_column") : null;
    boolean causalMedian =
        "above_median".equals(labelKind) && value != null && objective == Objective.CLASSIFICATION;
    String target =
        causalMedian ? value : Configs.string(cfg, "target", (String) label.get("name"));
    if (target == null) {
      throw TaskFailure.nonRetryable(
          "no target: set target (the column to predict), or train on a label task's output");
    }
    List<String> features = features(cfg, meta, label, target);
    String time = Configs.string(cfg, "time_column", (String) meta.get("time_column"));
    if (time == null) {
      throw TaskFailure.nonRetryable(
          "no time column: set time_column; train splits in time order only");
    }
    Map<String, Object> modelCfg = Configs.map(cfg, "model");
    Algorithm algorithm =
        Algorithm.fromYaml(String.valueOf(modelCfg.getOrDefault("type", "linear_regression")));
    Split split = Split.parse(cfg.get("split"));
    int horizon = label.get("horizon") == null ? 0 : ((Number) label.get("horizon")).intValue();
    int embargo = split.embargo() != null ? split.embargo() : horizon;
    boolean binarize =
        objective == Objective.CLASSIFICATION
            && (causalMedian
                || !"direction".equals(labelKind) && !"above_median".equals(labelKind));
    if (causalMedian) {
      ctx.log()
          .info(
              "above_median label: training on "
                  + value
                  + " split at each training window's median (the label's own median is the whole"
                  + " input's, future included)");
    }
    long seed = seed(cfg, ctx.attempt());
    if (seed != seed(cfg, 1)) {
      ctx.log().info("attempt " + ctx.attempt() + " uses fallback_seed " + seed);
    }
    Trainer trainer = new Trainer(algorithm, objective, modelCfg);
    try (Connection db = Duck.open(cfg)) {
      String symbol = Configs.string(cfg, "symbol_column", (String) meta.get("symbol_column"));
      // least squares: every window's moments from the pass that counts the rows
      boolean moments = algorithm == Algorithm.LINEAR_REGRESSION;
      // a value label's column at each row's own time: evaluate's no-change forecast
      String unchanged =
          objective == Objective.REGRESSION
                  && "value".equals(labelKind)
                  && target.equals(label.get("name"))
              ? (String) label.get("column")
              : null;
      TrainingSet data =
          new TrainingSet(
              db, input, features, target, time, symbol, moments, TrainingSet.PART_ROWS, unchanged);
      List<Fold> folds = FoldPlanner.plan(data, split, embargo, moments);
      if (data.droppedRows() > 0) {
        ctx.log()
            .info(data.droppedRows() + " rows left out: a feature or the target is missing there");
      }
      List<Map<String, Object>> foldMeta = new ArrayList<>();
      Model last = null;
      Double threshold = null;
      Predictions.Batch predictions = new Predictions.Batch();
      for (Fold fold : folds) {
        threshold = binarize ? data.median(fold.trainWhere()) : null;
        Model m = trainer.fit(data, fold.trainWhere(), threshold, seed);
        predictions.add(db, data, fold, m, threshold);
        last = m;
        Map<String, Object> fm = new LinkedHashMap<>();
        fm.put("fold", fold.index());
        fm.put("train_rows", data.count(fold.trainWhere()));
        fm.put("test_rows", data.count(fold.testWhere()));
        fm.put("train", data.range(fold.trainWhere()));
        fm.put("test", data.range(fold.testWhere()));
        if (threshold != null) {
          fm.put("threshold", threshold);
        }
        if (objective == Objective.REGRESSION) {
          // the training window's mean target: evaluate's out-of-sample R² benchmark
          fm.put(TRAIN_TARGET_MEAN, data.targetMean(fold.trainWhere()));
        } else {
          // the training window's class balance: evaluate's baseline accuracy
          fm.put(TRAIN_POSITIVE_RATE, data.positiveRate(fold.trainWhere(), threshold));
        }
        foldMeta.add(fm);
        ctx.log()
            .info(
                "fold "
                    + fold.index()
                    + ": trained on "
                    + fm.get("train_rows")
                    + " rows, tested on "
                    + fm.get("test_rows"));
      }
      Path dir = ctx.outputDir();
      Path predictionsFile = dir.resolve(PREDICTIONS_FILE);
      predictions.write(db, data, time, predictionsFile);
      Predictions.checkFinite(db, predictionsFile, seed);
      Model model = last;
      if (split.refit()) {
        threshold = binarize ? data.median(FoldPlanner.ALL) : null;
        model = trainer.fit(data, FoldPlanner.ALL, threshold, seed);
      }
      byte[] bytes = serialize(model);
      Files.write(dir.resolve(MODEL_FILE), bytes);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("algorithm", algorithm.yamlName());
      json.put("kind", objective.name().toLowerCase(java.util.Locale.ROOT));
      json.put("target", target);
      json.put("features", features);
      Map<String, String> definitions = FeatureDefinitions.of(meta, features);
      if (!definitions.isEmpty()) {
        json.put(FeatureDefinitions.KEY, definitions); // score checks its input against them
      }
      json.put("time_column", time);
      json.put("symbol_column", symbol);
      if (label.get("kind") != null && target.equals(label.get("name"))) {
        // what the target is: which label, of which column, how far ahead
        json.put(
            "label",
            Json.ordered(
                "kind", label.get("kind"),
                "column", label.get("column"),
                "horizon", label.get("horizon")));
      }
      json.put("params", modelCfg);
      json.put("seed", seed);
      json.put(
          "split",
          Json.ordered(
              "method", split.method(),
              "embargo_steps", embargo,
              "refit_on_all_rows", split.refit()));
      json.put("folds", foldMeta);
      json.put(
          "training_window",
          data.range(split.refit() ? FoldPlanner.ALL : folds.getLast().trainWhere()));
      if (threshold != null) {
        json.put("threshold", threshold);
      }
      double[] weights = model.weights(); // the intercept last; log-odds for a logistic model
      if (weights != null) {
        Map<String, Object> coef = new LinkedHashMap<>();
        coef.put("intercept", weights[features.size()]);
        for (int i = 0; i < features.size(); i++) {
          coef.put(features.get(i), weights[i]);
        }
        json.put("coefficients", coef);
      }
      double[] importance = model.importance();
      if (importance != null) {
        // as scikit-learn's feature_importances_: shares of the impurity the trees removed
        double total = 0;
        for (double v : importance) {
          total += v;
        }
        Map<String, Object> shares = new LinkedHashMap<>();
        for (int i = 0; i < features.size(); i++) {
          shares.put(features.get(i), total > 0 ? importance[i] / total : 0.0);
        }
        json.put("feature_importance", shares);
      }
      json.put("data_hash", Dataset.contentHash(input));
      json.put("model_hash", ContentHash.sha256Hex(bytes));
      json.put("rows_left_out", data.droppedRows());
      json.put("code_version", codeVersion());
      json.put("made_with", ModelFiles.madeWith(getClass()));
      Json.write(dir.resolve(MODEL_JSON), json);
      Json.write(dir.resolve(Dataset.METADATA_FILE), json);
      ctx.output("model_hash", (String) json.get("model_hash"));
      ctx.output("algorithm", algorithm.yamlName());
      ctx.log()
          .info(
              "trained "
                  + algorithm.yamlName()
                  + " ("
                  + json.get("kind")
                  + ") on "
                  + features.size()
                  + " features, "
                  + folds.size()
                  + " fold(s); model "
                  + ((String) json.get("model_hash")).substring(0, 12));
    }
  }

  /** {@code seed} (default 42) on the first attempt; {@code fallback_seed}, if set, on retries. */
  static long seed(Map<String, Object> cfg, int attempt) {
    long seed = Configs.integer(cfg, "seed", DEFAULT_SEED);
    return attempt > 1 ? Configs.integer(cfg, "fallback_seed", seed) : seed;
  }

  /**
   * A label's columns hold what happens after each row's time: as a feature, either one hands the
   * model its answer, under any spelling of its case (DuckDB reads {@code UP} as {@code up}).
   */
  private static void refuseLabelColumns(List<String> features, Map<?, ?> label) {
    for (Object column : new Object[] {label.get("name"), label.get("value_column")}) {
      for (String f : features) {
        if (column != null && f.equalsIgnoreCase(String.valueOf(column))) {
          throw TaskFailure.nonRetryable(
              "feature '"
                  + f
                  + "' is a column of the label (values from after each row's time): training on"
                  + " it leaks the future; remove it from features");
        }
      }
    }
  }

  private static List<String> features(
      Map<String, Object> cfg, Map<String, Object> meta, Map<?, ?> label, String target) {
    Object listed = cfg.get("features");
    List<String> out = new ArrayList<>();
    if (listed instanceof List<?> l) {
      l.forEach(f -> out.add(String.valueOf(f)));
    } else if (meta.get("features") instanceof List<?> l) {
      for (Object f : l) {
        out.add(f instanceof Map<?, ?> m ? String.valueOf(m.get("name")) : String.valueOf(f));
      }
    }
    refuseLabelColumns(out, label);
    out.removeIf(f -> f.equalsIgnoreCase(target));
    if (out.isEmpty()) {
      throw TaskFailure.nonRetryable(
          "no features: list them under features:, or train on a features → label chain whose"
              + " metadata names them");
    }
    return out;
  }

  private static Map<String, Object> inputMetadata(Path input) {
    Map<String, Object> out = new LinkedHashMap<>(Dataset.metadata(input));
    Dataset.metadata(input, FeaturesTask.METADATA_FILE).forEach(out::putIfAbsent);
    return out;
  }

  static byte[] serialize(Model model) throws java.io.IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(model);
    }
    return bytes.toByteArray();
  }
}
