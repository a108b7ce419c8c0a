package io.alphaflow.quant.models;

import java.util.Arrays;
import java.util.List;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.regression.DataFrameRegression;

/**
 * A Smile model: logistic regression, forests, boosting. Logistic regression also predicts in SQL
 * (the probability of class 1, as {@link #predict} gives it); the trees predict in the JVM.
 */
public final class SmileModel implements Model {
  private static final long serialVersionUID = 1L;
  private final Object model;
  private final String[] names;

  SmileModel(Object model, List<String> names) {
    this.model = model;
    this.names = names.toArray(String[]::new);
  }

  @Override
  public double[] predict(double[][] x) {
    double[] out = new double[x.length];
    if (x.length == 0) {
      return out;
    }
    double[] post = new double[2];
    switch (model) {
      case DataFrameRegression r -> {
        return r.predict(DataFrame.of(x, names));
      }
      case DataFrameClassifier c -> {
        DataFrame df = DataFrame.of(x, names);
        for (int i = 0; i < x.length; i++) {
          c.predict(df.get(i), post);
          out[i] = post[1];
        }
      }
      case Classifier<?> c -> {
        @SuppressWarnings("unchecked")
        Classifier<double[]> vectors = (Classifier<double[]>) c;
        for (int i = 0; i < x.length; i++) {
          vectors.predict(x[i], post);
          out[i] = post[1];
        }
      }
      default -> throw new IllegalStateException("not a Smile model: " + model.getClass());
    }
    return out;
  }

  @Override
  public double[] weights() {
    return model instanceof LogisticRegression.Binomial logistic
        ? logistic.coefficients().clone()
        : null;
  }

  @Override
  public double[] importance() {
    return switch (model) {
      case smile.regression.RandomForest f -> f.importance().clone();
      case smile.classification.RandomForest f -> f.importance().clone();
      case smile.regression.GradientTreeBoost g -> g.importance().clone();
      case smile.classification.GradientTreeBoost g -> g.importance().clone();
      default -> null;
    };
  }

  @Override
  public String sql(List<String> features) {
    double[] w = weights();
    if (w == null) {
      return null;
    }
    // Smile's score: 1 / (1 + e^-(bias + x·w)), the log-odds a linear model of the same weights
    int p = features.size();
    String logOdds = new LinearModel(w[p], Arrays.copyOf(w, p)).sql(features);
    return "(1 / (1 + exp(-" + logOdds + ")))";
  }
}
