package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.vector.IntVector;
import smile.data.vector.ValueVector;

class ForestsTest {
  private static final int ROWS = 4_000;
  private static final double[][] X = features();
  private static final long[] SEEDS = new SplittableRandom(5).longs(24).toArray();

  @Test
  void aClassificationForestHasTheSameBytesOnOneThreadAndOnMany() throws Exception {
    DataFrame df = DataFrame.of(X, "a", "b", "c").add(new IntVector("__y", labels()));
    Supplier<Object> fit =
        () ->
            Forests.reproducible(
                smile.classification.RandomForest.fit(
                    Formula.lhs("__y"),
                    df,
                    new smile.classification.RandomForest.Options(
                        SEEDS.length,
                        1,
                        smile.base.cart.SplitRule.GINI,
                        20,
                        500,
                        5,
                        0.7,
                        null,
                        SEEDS,
                        null)));

    var forest = (smile.classification.RandomForest) fit.get();
    assertThat(forest.metrics()).as("the racy forest-wide tally is dropped").isNull();
    assertThat(forest.models())
        .allSatisfy(m -> assertThat(m.metrics().fitTime() + m.metrics().scoreTime()).isZero())
        .allSatisfy(m -> assertThat(m.metrics().accuracy()).isBetween(0.5, 1.0));
    assertThat(bytesOn(1, fit)).isEqualTo(bytesOn(16, fit));
  }

  @Test
  void aRegressionForestHasTheSameBytesOnOneThreadAndOnMany() throws Exception {
    DataFrame df = DataFrame.of(X, "a", "b", "c").add(ValueVector.of("__y", target()));
    Supplier<Object> fit =
        () ->
            Forests.reproducible(
                smile.regression.RandomForest.fit(
                    Formula.lhs("__y"),
                    df,
                    new smile.regression.RandomForest.Options(
                        SEEDS.length, 1, 20, 500, 5, 0.7, SEEDS, null)));

    var forest = (smile.regression.RandomForest) fit.get();
    assertThat(forest.metrics()).isNull();
    assertThat(forest.models())
        .allSatisfy(m -> assertThat(m.metrics().fitTime() + m.metrics().scoreTime()).isZero())
        .allSatisfy(m -> assertThat(m.metrics().r2()).isPositive());
    assertThat(bytesOn(1, fit)).isEqualTo(bytesOn(16, fit));
  }

  /**
   * Fits inside a pool of {@code threads}: Smile's parallel streams run in the pool they are
   * started from, so one thread grows the trees in turn and sixteen interleave them.
   */
  private static byte[] bytesOn(int threads, Supplier<Object> fit) throws Exception {
    try (ForkJoinPool pool = new ForkJoinPool(threads)) {
      Object model = pool.submit(fit::get).get();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(model);
      }
      return bytes.toByteArray();
    }
  }

  private static double[][] features() {
    SplittableRandom r = new SplittableRandom(1);
    double[][] x = new double[ROWS][3];
    for (double[] row : x) {
      for (int j = 0; j < 3; j++) {
        row[j] = r.nextGaussian();
      }
    }
    return x;
  }

  private static double[] target() {
    SplittableRandom noise = new SplittableRandom(2);
    double[] y = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      y[i] = X[i][0] - 0.5 * X[i][1] * X[i][2] + 0.5 * noise.nextGaussian();
    }
    return y;
  }

  private static int[] labels() {
    double[] y = target();
    int[] out = new int[ROWS];
    for (int i = 0; i < ROWS; i++) {
      out[i] = y[i] > 0 ? 1 : 0;
    }
    return out;
  }
}
