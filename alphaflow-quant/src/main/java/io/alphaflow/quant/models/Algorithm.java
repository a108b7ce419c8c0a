package io.alphaflow.quant.models;

import io.alphaflow.quant.data.Configs;
import java.util.Arrays;
import java.util.List;

/** The model families {@code train} fits, by their name in a flow's {@code model.type}. */
public enum Algorithm {
  LINEAR_REGRESSION("linear_regression", true, false),
  RIDGE("ridge", true, false),
  LASSO("lasso", true, false),
  LOGISTIC_REGRESSION("logistic_regression", false, true),
  RANDOM_FOREST("random_forest", true, true),
  GRADIENT_BOOSTING("gradient_boosting", true, true);

  private final String yamlName;
  private final boolean regression;
  private final boolean classification;

  Algorithm(String yamlName, boolean regression, boolean classification) {
    this.yamlName = yamlName;
    this.regression = regression;
    this.classification = classification;
  }

  public String yamlName() {
    return yamlName;
  }

  public boolean supports(Objective objective) {
    return objective == Objective.REGRESSION ? regression : classification;
  }

  /** The algorithm named {@code name} ("ols" is an alias of linear_regression), or null. */
  public static Algorithm fromYaml(String name) {
    if ("ols".equals(name)) {
      return LINEAR_REGRESSION;
    }
    return Arrays.stream(values()).filter(a -> a.yamlName.equals(name)).findFirst().orElse(null);
  }

  /** A hyperparameter: its name in {@code model:}, and the least and most it may be. */
  public record Param(String name, double min, double max, boolean whole) {
    /** Why {@code value} is no value of this param, or null when it is one. */
    String problem(Object value) {
      Double d = Configs.numberOrNull(value);
      if (d == null) {
        return name + " must be a number, was '" + value + "'";
      }
      if (whole && d != Math.rint(d)) {
        return name + " must be a whole number, was " + value;
      }
      if (d < min || d > max) {
        return name
            + " must be "
            + (max == Double.MAX_VALUE
                ? "at least " + fmt(min)
                : "from " + fmt(min) + " to " + fmt(max))
            + ", was "
            + value;
      }
      return null;
    }

    private static String fmt(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }

  private static final Param LAMBDA = new Param("lambda", 0, Double.MAX_VALUE, false);
  private static final List<Param> TREES =
      List.of(
          new Param("trees", 1, 100_000, true),
          new Param("max_depth", 2, 1_000, true),
          new Param("max_nodes", 2, 1_000_000, true),
          new Param("node_size", 1, 1_000_000, true),
          new Param("subsample", Double.MIN_VALUE, 1, false));

  /** The hyperparameters {@code model:} may set for this family; any other key is refused. */
  public List<Param> params() {
    return switch (this) {
      case LINEAR_REGRESSION -> List.of();
      case RIDGE, LASSO -> List.of(LAMBDA);
      case LOGISTIC_REGRESSION -> List.of(LAMBDA, new Param("max_iter", 1, 1_000_000, true));
      case RANDOM_FOREST -> concat(TREES, List.of(new Param("mtry", 0, 100_000, true)));
      case GRADIENT_BOOSTING ->
          concat(TREES, List.of(new Param("shrinkage", Double.MIN_VALUE, 1, false)));
    };
  }

  private static List<Param> concat(List<Param> a, List<Param> b) {
    List<Param> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return List.copyOf(out);
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Algorithm::yamlName).toList();
  }
}
