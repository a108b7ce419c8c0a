package io.alphaflow.quant.models;

import java.util.List;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.data.DataFrame;
import smile.regression.DataFrameRegression;

/** A Smile model that has no closed form in SQL: logistic regression, forests, boosting. */
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
  public String sql(List<String> features) {
    return null;
  }
}
