package io.alphaflow.quant.models;

import java.io.Serializable;
import java.util.List;

/**
 * A fitted model: a number per row for regression, the probability of class 1 for classification.
 * Serializable, so a version's bytes (and its hash) follow from its inputs.
 */
public sealed interface Model extends Serializable permits LinearModel, SmileModel {
  double[] predict(double[][] x);

  /** A SQL expression computing the prediction from the feature columns, or null if none. */
  String sql(List<String> features);

  /**
   * A linear model's weights, one per feature then the intercept (for logistic regression, of the
   * log-odds), for model.json; null for a model that has none (trees).
   */
  default double[] weights() {
    return null;
  }

  /**
   * A tree ensemble's importance of each feature (the impurity its splits removed, summed over the
   * trees), in feature order, for model.json; null for a model that has none (linear ones have
   * weights).
   */
  default double[] importance() {
    return null;
  }
}
