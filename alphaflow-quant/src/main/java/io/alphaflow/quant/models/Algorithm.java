package io.alphaflow.quant.models;

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

  public static List<String> names() {
    return Arrays.stream(values()).map(Algorithm::yamlName).toList();
  }
}
