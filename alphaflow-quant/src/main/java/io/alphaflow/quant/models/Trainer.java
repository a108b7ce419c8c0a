package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Moments;
import java.sql.SQLException;
import java.util.Map;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;
import smile.math.MathEx;
import smile.regression.LASSO;
import smile.regression.RidgeRegression;

/**
 * Fits one algorithm on the rows of a {@link TrainingSet} a WHERE clause selects. OLS is one
 * streaming pass in DuckDB (means and covariances, then a k×k solve), so 10M rows never enter the
 * JVM; the others load the rows into arrays for Smile (logistic regression's by Newton's method
 * into Smile's model: {@link Logistic}).
 */
final class Trainer {
  private final Algorithm algorithm;
  private final Objective objective;
  private final Map<String, Object> params;

  Trainer(Algorithm algorithm, Objective objective, Map<String, Object> params) {
    this.algorithm = algorithm;
    this.objective = objective;
    this.params = params;
  }

  /**
   * Fits on {@code where}; for classification {@code threshold} turns a continuous target into 0/1
   * (null: the target is 0/1 already).
   */
  Model fit(TrainingSet data, String where, Double threshold, long seed) throws SQLException {
    if (algorithm == Algorithm.LINEAR_REGRESSION) {
      return ols(data, where);
    }
    TrainingSet.Rows rows = data.load(where);
    if (rows.size() < data.features.size() + 2) {
      throw TaskFailure.nonRetryable(
          "only "
              + rows.size()
              + " training rows for "
              + data.features.size()
              + " features: widen the training window");
    }
    String[] names = data.features.toArray(String[]::new);
    Trees forest = new Trees(this, 100, 500, 1.0);
    Trees boosting = new Trees(this, 200, 6, 0.7);
    MathEx.setSeed(seed);
    if (objective == Objective.CLASSIFICATION) {
      int[] y = classes(rows.y(), threshold);
      return switch (algorithm) {
        case LOGISTIC_REGRESSION ->
            new SmileModel(
                Logistic.fit(rows.x(), y, number("lambda", 0.0), (int) number("max_iter", 500)),
                data.features);
        case RANDOM_FOREST ->
            new SmileModel(
                Forests.reproducible(
                    smile.classification.RandomForest.fit(
                        Formula.lhs("__y"),
                        withClasses(rows.x(), names, y),
                        new smile.classification.RandomForest.Options(
                            forest.trees(),
                            forest.mtry(),
                            smile.base.cart.SplitRule.GINI,
                            forest.maxDepth(),
                            forest.maxNodes(),
                            forest.nodeSize(),
                            forest.subsample(),
                            null,
                            seeds(seed, forest.trees()),
                            null))),
                data.features);
        case GRADIENT_BOOSTING ->
            new SmileModel(
                smile.classification.GradientTreeBoost.fit(
                    Formula.lhs("__y"),
                    withClasses(rows.x(), names, y),
                    new smile.classification.GradientTreeBoost.Options(
                        boosting.trees(),
                        boosting.maxDepth(),
                        boosting.maxNodes(),
                        boosting.nodeSize(),
                        boosting.shrinkage(),
                        boosting.subsample(),
                        null,
                        null)),
                data.features);
        default -> throw new IllegalStateException(algorithm + " does not classify");
      };
    }
    DataFrame df =
        DataFrame.of(rows.x(), names).add(smile.data.vector.ValueVector.of("__y", rows.y()));
    return switch (algorithm) {
      case RIDGE -> linear(RidgeRegression.fit(Formula.lhs("__y"), df, number("lambda", 1.0)));
      case LASSO ->
          linear(LASSO.fit(Formula.lhs("__y"), df, new LASSO.Options(number("lambda", 0.01))));
      case RANDOM_FOREST ->
          new SmileModel(
              Forests.reproducible(
                  smile.regression.RandomForest.fit(
                      Formula.lhs("__y"),
                      df,
                      new smile.regression.RandomForest.Options(
                          forest.trees(),
                          forest.mtry(),
                          forest.maxDepth(),
                          forest.maxNodes(),
                          forest.nodeSize(),
                          forest.subsample(),
                          seeds(seed, forest.trees()),
                          null))),
              data.features);
      case GRADIENT_BOOSTING ->
          new SmileModel(
              smile.regression.GradientTreeBoost.fit(
                  Formula.lhs("__y"),
                  df,
                  new smile.regression.GradientTreeBoost.Options(
                      smile.base.cart.Loss.ls(),
                      boosting.trees(),
                      boosting.maxDepth(),
                      boosting.maxNodes(),
                      boosting.nodeSize(),
                      boosting.shrinkage(),
                      boosting.subsample(),
                      null,
                      null)),
              data.features);
      default -> throw new IllegalStateException(algorithm + " does not regress");
    };
  }

  /**
   * Least squares from the rows' {@link Moments} (summed per time interval when the split planned
   * them, else one aggregate query): the solve uses the covariance matrix.
   */
  static LinearModel ols(TrainingSet data, String where) throws SQLException {
    int k = data.features.size();
    Moments m = data.moments(where);
    if (m.n() < k + 2) {
      throw TaskFailure.nonRetryable(
          "only " + m.n() + " training rows for " + k + " features: widen the training window");
    }
    double[][] cov = new double[k][k];
    double[] cy = new double[k];
    for (int i = 0; i < k; i++) {
      cy[i] = m.covariance(i, k);
      for (int j = 0; j < k; j++) {
        cov[i][j] = m.covariance(i, j);
      }
    }
    double[] beta = LeastSquares.solve(cov, cy);
    double intercept = m.mean()[k];
    for (int i = 0; i < k; i++) {
      intercept -= beta[i] * m.mean()[i];
    }
    return new LinearModel(intercept, beta);
  }

  private static LinearModel linear(smile.regression.LinearModel m) {
    return new LinearModel(m.intercept(), m.coefficients());
  }

  private static DataFrame withClasses(double[][] x, String[] names, int[] y) {
    return DataFrame.of(x, names).add(new IntVector("__y", y));
  }

  static int[] classes(double[] y, Double threshold) {
    int[] out = new int[y.length];
    for (int i = 0; i < y.length; i++) {
      if (threshold != null) {
        out[i] = y[i] > threshold ? 1 : 0;
      } else if (y[i] == 0 || y[i] == 1) {
        out[i] = (int) y[i];
      } else {
        throw TaskFailure.nonRetryable(
            "classification needs a 0/1 target, found "
                + y[i]
                + ": use a direction or above_median label, or train with kind: classification"
                + " on the value itself, which splits it at each training window's median");
      }
    }
    return out;
  }

  private static long[] seeds(long seed, int trees) {
    long[] out = new long[trees];
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    for (int i = 0; i < trees; i++) {
      out[i] = r.nextLong();
    }
    return out;
  }

  /**
   * A tree ensemble's settings from {@code model:}, the defaults of a forest or of boosting where
   * they differ (trees, max_nodes, subsample), for both objectives alike.
   */
  private record Trees(
      int trees,
      int mtry,
      int maxDepth,
      int maxNodes,
      int nodeSize,
      double shrinkage,
      double subsample) {
    Trees(Trainer t, int trees, int maxNodes, double subsample) {
      this(
          (int) t.number("trees", trees),
          (int) t.number("mtry", 0),
          (int) t.number("max_depth", 20),
          (int) t.number("max_nodes", maxNodes),
          (int) t.number("node_size", 5),
          t.number("shrinkage", 0.05),
          t.number("subsample", subsample));
    }
  }

  /** The hyperparameter {@code key}; one a ${...} made no number fails the task, naming it. */
  private double number(String key, double fallback) {
    Object v = params.get(key);
    if (v == null) {
      return fallback;
    }
    Double d = Configs.numberOrNull(v);
    if (d == null) {
      throw TaskFailure.nonRetryable("model." + key + " must be a number, was '" + v + "'");
    }
    return d;
  }
}
