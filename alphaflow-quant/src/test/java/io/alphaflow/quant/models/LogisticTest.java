package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.quant.data.Sql;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import smile.classification.LogisticRegression;

class LogisticTest {
  /** More rows than one block of the fit's sums, so the blocks' order matters. */
  private static final int ROWS = 150_000;

  /**
   * Features on different scales, the last one the difference of two others (as seed 000's
   * large_order_imbalance): the Newton system is singular there, and the fit must still find the
   * likelihood's maximum.
   */
  private static double[][] features(int rows) {
    SplittableRandom r = new SplittableRandom(3);
    double[][] x = new double[rows][4];
    for (double[] row : x) {
      row[0] = r.nextGaussian() * 100 + 50;
      row[1] = r.nextDouble();
      row[2] = r.nextDouble();
      row[3] = row[1] - row[2];
    }
    return x;
  }

  private static int[] labels(double[][] x) {
    SplittableRandom noise = new SplittableRandom(4);
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      double eta = -1 + 0.01 * x[i][0] + 2 * x[i][1] - 3 * x[i][2];
      y[i] = noise.nextDouble() < 1 / (1 + StrictMath.exp(-eta)) ? 1 : 0;
    }
    return y;
  }

  /** Each column's sample standard deviation (n - 1). */
  private static double[] sds(double[][] x) {
    int p = x[0].length;
    double[] mean = new double[p];
    double[] sd = new double[p];
    for (double[] row : x) {
      for (int j = 0; j < p; j++) {
        mean[j] += row[j] / x.length;
      }
    }
    for (double[] row : x) {
      for (int j = 0; j < p; j++) {
        sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / (x.length - 1);
      }
    }
    for (int j = 0; j < p; j++) {
      sd[j] = Math.sqrt(sd[j]);
    }
    return sd;
  }

  /** The columns scaled to unit standard deviation (not centred: the intercept takes that). */
  private static double[][] scaled(double[][] x) {
    double[] sd = sds(x);
    double[][] z = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      z[i] = new double[x[i].length];
      for (int j = 0; j < sd.length; j++) {
        z[i][j] = x[i][j] / sd[j];
      }
    }
    return z;
  }

  /**
   * Smile's fit given the features scaled to unit standard deviation: a penalty on those weights is
   * what ours minimizes.
   */
  @Test
  void reachesTheLikelihoodSmilesFitReachesWithOrWithoutAPenalty() {
    double[][] x = features(20_000);
    double[][] z = scaled(x);
    double[] sd = sds(x);
    int[] y = labels(x);
    for (double lambda : new double[] {0.0, 0.5}) {
      LogisticRegression.Binomial ours = Logistic.fit(x, y, lambda, 500);
      LogisticRegression.Binomial smiles =
          LogisticRegression.binomial(z, y, new LogisticRegression.Options(lambda, 1e-5, 500));
      assertThat(ours.loglikelihood())
          .as("lambda %s", lambda)
          .isGreaterThanOrEqualTo(smiles.loglikelihood() - 1e-6 * x.length);
      for (int i = 0; i < 200; i++) {
        assertThat(ours.score(x[i])).isCloseTo(smiles.score(z[i]), within(1e-3));
      }
      // a stationary point: each weight's gradient vanishes against the size of its feature
      double[] w = ours.coefficients();
      double[] gradient = new double[w.length];
      double[] scale = new double[w.length];
      for (int i = 0; i < x.length; i++) {
        double r = ours.score(x[i]) - y[i];
        for (int j = 0; j <= x[i].length; j++) {
          double xij = j < x[i].length ? x[i][j] : 1;
          gradient[j] += r * xij;
          scale[j] += Math.abs(xij);
        }
      }
      for (int j = 0; j < w.length; j++) {
        double penalty = j < w.length - 1 ? lambda * sd[j] * sd[j] * w[j] : 0;
        assertThat(Math.abs(gradient[j] + penalty) / scale[j]).as("weight %d", j).isLessThan(1e-9);
      }
    }
    // row[3] = row[1] - row[2]: the data determine only w1 + w3 and w2 - w3 (near the 2 and -3
    // the labels were drawn with); of the weights that give them, the fit takes the smallest,
    // the one with no part along (0, 1, -1, -1): w3 = w1 - w2
    double[] w = Logistic.fit(x, y, 0.0, 500).coefficients();
    assertThat(w[1] + w[3]).isCloseTo(2, within(0.2));
    assertThat(w[2] - w[3]).isCloseTo(-3, within(0.2));
    assertThat(w[3]).isCloseTo(w[1] - w[2], within(1e-6));
  }

  /**
   * The weights and log-likelihood of a fit (both in the model's bytes) are pinned to the bit: its
   * arithmetic is IEEE's, which Java keeps strict, its sums are merged in block order, and its
   * exponentials and logarithms are StrictMath's (Math's may differ in the last bit from one CPU to
   * another; on this data they agree with StrictMath's, so this test shows a change of the fit or
   * of the machine's answers, not the choice itself). Rows drawn with SplittableRandom's doubles
   * alone (its Gaussians are not specified bit for bit). Should the fit change on purpose, put the
   * new bits here and say why in the commit.
   */
  @Test
  void theWeightsAreTheSameBitsOnAnyMachine() {
    SplittableRandom r = new SplittableRandom(9);
    double[][] x = new double[5_000][3];
    for (double[] row : x) {
      row[0] = r.nextDouble() * 200 - 50;
      row[1] = r.nextDouble();
      row[2] = row[1] * 0.5 + r.nextDouble();
    }
    int[] y = labels(x);

    LogisticRegression.Binomial m = Logistic.fit(x, y, 0.1, 100);

    double[] w = m.coefficients();
    long[] bits = new long[w.length + 1];
    for (int j = 0; j < w.length; j++) {
      bits[j] = Double.doubleToLongBits(w[j]);
    }
    bits[w.length] = Double.doubleToLongBits(m.loglikelihood()); // stored in the model's bytes
    assertThat(bits).containsExactly(GOLDEN);
  }

  private static final long[] GOLDEN = {
    4576510409343545055L,
    4611650843362840380L,
    -4609393740573593967L,
    -4617210054279499000L,
    -4566385083479665615L
  };

  /**
   * A feature given in other units (a price in cents, a rate in basis points) gets the same
   * shrinkage, so the same predictions: the penalty is on each weight times its feature's spread.
   */
  @Test
  void thePenaltyShrinksAFeatureAlikeWhateverItsUnits() {
    double[][] x = features(20_000);
    int[] y = labels(x);
    double[][] inCents = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      inCents[i] = x[i].clone();
      inCents[i][1] *= 100;
    }
    LogisticRegression.Binomial m = Logistic.fit(x, y, 50.0, 500);
    LogisticRegression.Binomial cents = Logistic.fit(inCents, y, 50.0, 500);
    for (int i = 0; i < 200; i++) {
      assertThat(cents.score(inCents[i])).isCloseTo(m.score(x[i]), within(1e-9));
    }
    assertThat(cents.coefficients()[1] * 100).isCloseTo(m.coefficients()[1], within(1e-9));
  }

  @Test
  void theSameRowsGiveTheSameModelBytesOnOneThreadAndOnMany() throws Exception {
    double[][] x = features(ROWS);
    int[] y = labels(x);
    assertThat(bytesOn(1, x, y)).isEqualTo(bytesOn(8, x, y));
  }

  @Test
  void separatedClassesStillGiveAModelThatSeparatesThem() {
    double[][] x = new double[1_000][1];
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i][0] = i;
      y[i] = i < 500 ? 0 : 1;
    }
    LogisticRegression.Binomial m = Logistic.fit(x, y, 0.0, 200);
    assertThat(m.predict(new double[] {100})).isZero();
    assertThat(m.predict(new double[] {900})).isOne();
  }

  @Test
  void manyFeaturesAreLeftToSmilesFit() {
    SplittableRandom r = new SplittableRandom(6);
    double[][] x = new double[2_000][Logistic.NEWTON_MAX_FEATURES + 1];
    int[] y = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = r.nextGaussian();
      }
      y[i] = x[i][0] + r.nextGaussian() > 0 ? 1 : 0;
    }
    // Smile's fit, given the features at unit spread
    double[][] z = scaled(x);
    LogisticRegression.Binomial smiles =
        LogisticRegression.binomial(z, y, new LogisticRegression.Options(0.1, 1e-5, 100));
    LogisticRegression.Binomial ours = Logistic.fit(x, y, 0.1, 100);
    for (int i = 0; i < 200; i++) {
      assertThat(ours.score(x[i])).isCloseTo(smiles.score(z[i]), within(1e-4)); // L-BFGS's 1e-5
    }
    // with no penalty, Smile's own fit as it is
    assertThat(Logistic.fit(x, y, 0.0, 100).coefficients())
        .containsExactly(
            LogisticRegression.binomial(x, y, new LogisticRegression.Options(0.0, 1e-5, 100))
                .coefficients());
  }

  @Test
  void oneClassIsRefusedAsSmileRefusesIt() {
    double[][] x = features(100);
    int[] y = new int[x.length];
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Logistic.fit(x, y, 0.0, 100))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The SQL form predicts what the model does, row for row. */
  @Test
  void predictsTheSameProbabilityInSqlAsInTheJvm() throws Exception {
    double[][] x = features(2_000);
    int[] y = labels(x);
    SmileModel model = new SmileModel(Logistic.fit(x, y, 0.0, 500), List.of("a", "b", "c", "d"));
    double[] jvm = model.predict(x);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Sql.exec(c, "CREATE TABLE t (i INTEGER, a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE)");
      StringBuilder values = new StringBuilder();
      for (int i = 0; i < x.length; i++) {
        values.append(i == 0 ? "" : ", ").append("(").append(i);
        for (double v : x[i]) {
          values.append(", ").append(Double.toString(v)).append("::DOUBLE");
        }
        values.append(")");
      }
      Sql.exec(c, "INSERT INTO t VALUES " + values);
      List<java.util.Map<String, Object>> rows =
          Sql.rows(c, "SELECT i, " + model.sql(List.of("a", "b", "c", "d")) + " AS p FROM t");
      assertThat(rows).hasSize(x.length);
      for (var r : rows) {
        int i = (Integer) r.get("i");
        assertThat((Double) r.get("p")).isCloseTo(jvm[i], within(1e-15));
      }
    }
  }

  private static byte[] bytesOn(int threads, double[][] x, int[] y) throws Exception {
    try (ForkJoinPool pool = new ForkJoinPool(threads)) {
      Object model = pool.submit(() -> Logistic.fit(x, y, 0.0, 500)).get();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(model);
      }
      return bytes.toByteArray();
    }
  }
}
