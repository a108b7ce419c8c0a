package io.alphaflow.quant.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What least squares needs from some rows: their count, the mean of every column (the features,
 * then the target last) and the co-moments, the sums of products of deviations from those means (n
 * times the population covariance). Moments of disjoint rows add up ({@link #plus}, Chan et al.'s
 * pairwise update), so one grouped scan can serve every fold of a walk-forward split.
 */
record Moments(long n, double[] mean, double[][] comoment) {
  /**
   * The aggregates for {@code columns} (the features' names, then the target's), as SQL select
   * items, aliased so that {@link #of} can read them back: the count, and the sums of the columns'
   * deviations from {@code shifts} and of their products. Shifts near the means keep those sums
   * small, so the co-moments lose little to cancellation (the "shifted data" algorithm); plain sums
   * are several times quicker in DuckDB than its {@code covar_pop}.
   */
  static List<String> aggregates(List<String> columns, double[] shifts) {
    List<String> out = new ArrayList<>();
    out.add("count(*) AS mn");
    List<String> deviations = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      deviations.add("(" + columns.get(i) + " - " + shifts[i] + ")");
    }
    for (int i = 0; i < columns.size(); i++) {
      out.add("sum" + deviations.get(i) + " AS mm" + i);
      for (int j = i; j < columns.size(); j++) {
        out.add("sum(" + deviations.get(i) + " * " + deviations.get(j) + ") AS mc" + i + "_" + j);
      }
    }
    return out;
  }

  /** The moments of no rows, of {@code size} columns. */
  static Moments none(int size) {
    return new Moments(0, new double[size], new double[size][size]);
  }

  /** The moments in a row the {@link #aggregates} for the same {@code shifts} made. */
  static Moments of(Map<String, Object> row, double[] shifts) {
    long n = ((Number) row.get("mn")).longValue();
    int size = shifts.length;
    if (n == 0) {
      return none(size);
    }
    double[] sum = new double[size];
    for (int i = 0; i < size; i++) {
      sum[i] = ((Number) row.get("mm" + i)).doubleValue();
    }
    double[] mean = new double[size];
    double[][] m = new double[size][size];
    for (int i = 0; i < size; i++) {
      mean[i] = shifts[i] + sum[i] / n;
      for (int j = i; j < size; j++) {
        double products = ((Number) row.get("mc" + i + "_" + j)).doubleValue();
        m[i][j] = m[j][i] = products - sum[i] * sum[j] / n;
      }
    }
    return new Moments(n, mean, m);
  }

  /** The moments of this set's rows and {@code o}'s together (the two share no row). */
  Moments plus(Moments o) {
    if (o.n == 0) {
      return this;
    }
    if (n == 0) {
      return o;
    }
    long total = n + o.n;
    int size = mean.length;
    double[] delta = new double[size];
    double[] merged = new double[size];
    for (int i = 0; i < size; i++) {
      delta[i] = o.mean[i] - mean[i];
      merged[i] = mean[i] + delta[i] * o.n / total;
    }
    double weight = (double) n * o.n / total;
    double[][] m = new double[size][size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        m[i][j] = comoment[i][j] + o.comoment[i][j] + delta[i] * delta[j] * weight;
      }
    }
    return new Moments(total, merged, m);
  }

  /** The population covariance of columns i and j. */
  double covariance(int i, int j) {
    return comoment[i][j] / n;
  }
}
