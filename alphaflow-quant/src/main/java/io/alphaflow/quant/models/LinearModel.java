package io.alphaflow.quant.models;

import io.alphaflow.quant.data.Sql;
import java.util.Arrays;
import java.util.List;

/** y = intercept + coefficients · x: OLS, ridge and lasso fits end as this. */
public record LinearModel(double intercept, double[] coefficients) implements Model {
  public LinearModel {
    coefficients = coefficients.clone();
  }

  @Override
  public double[] predict(double[][] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double v = intercept;
      for (int j = 0; j < coefficients.length; j++) {
        v += coefficients[j] * x[i][j];
      }
      out[i] = v;
    }
    return out;
  }

  @Override
  public double[] weights() {
    double[] w = Arrays.copyOf(coefficients, coefficients.length + 1);
    w[coefficients.length] = intercept;
    return w;
  }

  @Override
  public String sql(List<String> features) {
    StringBuilder sb = new StringBuilder("(").append(Double.toString(intercept));
    for (int j = 0; j < coefficients.length; j++) {
      sb.append(" + ")
          .append(Double.toString(coefficients[j]))
          .append(" * ")
          .append(Sql.ident(features.get(j)));
    }
    return sb.append(')').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LinearModel m
        && Double.compare(m.intercept, intercept) == 0
        && Arrays.equals(m.coefficients, coefficients);
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(intercept) + Arrays.hashCode(coefficients);
  }

  @Override
  public String toString() {
    return "LinearModel[intercept="
        + intercept
        + ", coefficients="
        + Arrays.toString(coefficients)
        + "]";
  }
}
