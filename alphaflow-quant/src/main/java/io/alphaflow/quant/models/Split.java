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
        Configs.flag(m, "refit", walk));
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
    // a value a template gives is checked once it resolves
    String method = String.valueOf(m.containsKey("method") ? m.get("method") : "holdout");
    if (List.of("random", "shuffle", "kfold", "k_fold", "train_test_split").contains(method)
        || Boolean.TRUE.equals(Configs.flag(m.get("shuffle")))) {
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
    out.addAll(
        Configs.oneOf(
            "split.method",
            "split method",
            m.get("method"),
            METHODS,
            "use one of " + String.join(", ", METHODS)));
    double fraction = number(m, "test_fraction", 0.2);
    if (!(fraction > 0 && fraction < 1)) {
      out.add(
          new ConfigProblem(
              "split.test_fraction",
              "test_fraction must be between 0 and 1, was " + m.get("test_fraction"),
              "e.g. test_fraction: 0.2"));
    }
    out.addAll(
        Configs.integerInProblem("split.folds", m.get("folds"), 1, Integer.MAX_VALUE, "folds: 5"));
    out.addAll(
        Configs.integerInProblem(
            "split.train_steps", m.get("train_steps"), 1, Integer.MAX_VALUE, "train_steps: 500"));
    out.addAll(
        Configs.oneOf(
            "split.window",
            "window",
            m.get("window"),
            List.of("expanding", "rolling"),
            "use expanding (all history) or rolling (with train_steps)"));
    if ("rolling".equals(m.get("window")) && !m.containsKey("train_steps")) {
      out.add(
          new ConfigProblem(
              "split.train_steps",
              "a rolling window needs train_steps (time steps per training window)",
              "e.g. train_steps: 500"));
    }
    out.addAll(
        Configs.integerInProblem(
            "split.embargo", m.get("embargo"), 0, Integer.MAX_VALUE, "embargo: 5 (time steps)"));
    out.addAll(Configs.flagProblem("split.refit", m.get("refit")));
    out.addAll(Configs.flagProblem("split.shuffle", m.get("shuffle")));
    return out;
  }

  boolean walkForward() {
    return method.equals("walk_forward");
  }

  /**
   * {@code key}'s number, {@code fallback} when absent or a template (checked once it resolves),
   * NaN when it is no number.
   */
  private static double number(Map<?, ?> m, String key, double fallback) {
    Object v = m.get(key);
    if (v == null || Configs.resolvesLater(v)) {
      return fallback;
    }
    try {
      return Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
