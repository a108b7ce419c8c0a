package io.alphaflow.quant.models;

/**
 * What a model predicts: a number, or the probability that a 0/1 target is 1 (seed 000's {@code
 * --model-type}).
 */
public enum Objective {
  REGRESSION,
  CLASSIFICATION;

  public static Objective fromYaml(String name) {
    return switch (name) {
      case "regression" -> REGRESSION;
      case "classification" -> CLASSIFICATION;
      default ->
          throw new IllegalArgumentException(
              "unknown model kind '" + name + "': use regression or classification");
    };
  }
}
