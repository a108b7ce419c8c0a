package io.alphaflow.quant.models;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.quant.data.Configs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@code train} splits its rows, always in time order: a {@code holdout} tail, or {@code
 * walk_forward} folds with an {@code expanding} or {@code rolling} training window. {@code embargo}
 * is a number of time steps left out between train and test, so labels that look ahead from the
 * last training rows cannot overlap the test period (null: the label's horizon).
 */
public record Split(
    String method,
    double testFraction,
    int folds,
    String window,
    Integer trainSteps,
    Integer embargo,
    boolean refit) {
  static final List<String> METHODS = List.of("holdout", "walk_forward");

  /** The split in {@code config} (absent: a 20% holdout); throws with what to write instead. */
  public static Split parse(Object config) {
    List<ConfigProblem> problems = problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0).message());
    }
    Map<?, ?> m = config == null ? Map.of() : (Map<?, ?>) config;
    String method = String.valueOf(m.containsKey("method") ? m.get("method") : "holdout");
    boolean walk = method.equals("walk_forward");
    return new Split(
        method,
        number(m, "test_fraction", 0.2),
        (int) number(m, "folds", 5),
        String.valueOf(m.containsKey("window") ? m.get("window") : "expanding"),
        m.containsKey("train_steps") ? (int) number(m, "train_steps", 0) : null,
        m.containsKey("embargo") ? (int) number(m, "embargo", 0) : null,
        m.containsKey("refit") ? Boolean.parseBoolean(String.valueOf(m.get("refit"))) : walk);
  }

  public static List<ConfigProblem> problems(Object config) {
    List<ConfigProblem> out = new ArrayList<>();
    if (config == null) {
      return out;
    }
    if (!(config instanceof Map<?, ?> m)) {
      out.add(new ConfigProblem("split", "split must be a mapping", "split: {method: holdout}"));
      return out;
    }
    out.addAll(
        Configs.unknownKeys(
            "split",
            m,
            List.of(
                "method",
                "test_fraction",
                "folds",
                "window",
                "train_steps",
                "embargo",
                "refit",
                "shuffle")));
    String method = String.valueOf(m.containsKey("method") ? m.get("method") : "holdout");
    if (List.of("random", "shuffle", "kfold", "k_fold", "train_test_split").contains(method)
        || Boolean.TRUE.equals(m.get("shuffle"))) {
      out.add(
          new ConfigProblem(
              "split.method",
              "a shuffled split is refused: on a time series it trains on rows after the ones it"
                  + " tests on, so the model sees the future and its scores look better than any"
                  + " live result",
              "use method: holdout (test on the last test_fraction of time) or method:"
                  + " walk_forward (folds in time order, with an embargo)"));
      return out;
    }
    if (!METHODS.contains(method)) {
      out.add(
          new ConfigProblem(
              "split.method",
              "unknown split method '" + method + "'",
              "use one of " + String.join(", ", METHODS)));
    }
    double fraction = number(m, "test_fraction", 0.2);
    if (!(fraction > 0 && fraction < 1)) {
      out.add(
          new ConfigProblem(
              "split.test_fraction",
              "test_fraction must be between 0 and 1, was " + fraction,
              "e.g. test_fraction: 0.2"));
    }
    if (number(m, "folds", 5) < 1) {
      out.add(new ConfigProblem("split.folds", "folds must be at least 1", null));
    }
    Object window = m.containsKey("window") ? m.get("window") : "expanding";
    if (!List.of("expanding", "rolling").contains(String.valueOf(window))) {
      out.add(
          new ConfigProblem(
              "split.window",
              "unknown window '" + window + "'",
              "use expanding (all history) or rolling (with train_steps)"));
    }
    if ("rolling".equals(window) && !m.containsKey("train_steps")) {
      out.add(
          new ConfigProblem(
              "split.train_steps",
              "a rolling window needs train_steps (time steps per training window)",
              "e.g. train_steps: 500"));
    }
    if (m.containsKey("embargo") && number(m, "embargo", 0) < 0) {
      out.add(new ConfigProblem("split.embargo", "embargo must be 0 or more time steps", null));
    }
    return out;
  }

  boolean walkForward() {
    return method.equals("walk_forward");
  }

  private static double number(Map<?, ?> m, String key, double fallback) {
    Object v = m.get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
