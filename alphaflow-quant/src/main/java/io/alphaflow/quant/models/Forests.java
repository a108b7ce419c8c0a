package io.alphaflow.quant.models;

import java.util.Arrays;
import smile.classification.RandomForest;
import smile.util.IntSet;
import smile.validation.ClassificationMetrics;
import smile.validation.RegressionMetrics;

/**
 * Random forests as we keep them: the same inputs and seed give the same bytes, so the same model
 * hash, on any number of cores.
 *
 * <p>Smile grows the trees in parallel, each from its own seed, so the trees themselves are
 * reproducible. Two things Smile keeps beside them are not:
 *
 * <ul>
 *   <li>each tree's out-of-bag metrics carry its fit and score times in milliseconds; we keep the
 *       metrics and zero the times;
 *   <li>the forest-wide out-of-bag metrics come from votes every tree adds into shared arrays
 *       without synchronization, so they change with the thread schedule (lost updates, not just
 *       rounding). We drop them: {@code metrics()} of a kept forest is null. Walk-forward
 *       evaluation, not out-of-bag error, is how alphaflow measures a model.
 * </ul>
 */
final class Forests {
  private Forests() {}

  static RandomForest reproducible(RandomForest forest) {
    RandomForest.Model[] trees =
        Arrays.stream(forest.models())
            .map(m -> new RandomForest.Model(m.tree(), withoutTimes(m.metrics()), m.weight()))
            .toArray(RandomForest.Model[]::new);
    return new RandomForest(
        forest.formula(),
        forest.numClasses(),
        trees,
        null,
        forest.importance(),
        IntSet.of(forest.classes()));
  }

  static smile.regression.RandomForest reproducible(smile.regression.RandomForest forest) {
    smile.regression.RandomForest.Model[] trees =
        Arrays.stream(forest.models())
            .map(m -> new smile.regression.RandomForest.Model(m.tree(), withoutTimes(m.metrics())))
            .toArray(smile.regression.RandomForest.Model[]::new);
    return new smile.regression.RandomForest(forest.formula(), trees, null, forest.importance());
  }

  private static ClassificationMetrics withoutTimes(ClassificationMetrics m) {
    return new ClassificationMetrics(
        0,
        0,
        m.size(),
        m.error(),
        m.accuracy(),
        m.sensitivity(),
        m.specificity(),
        m.precision(),
        m.f1(),
        m.mcc(),
        m.auc(),
        m.logloss(),
        m.crossEntropy());
  }

  private static RegressionMetrics withoutTimes(RegressionMetrics m) {
    return new RegressionMetrics(0, 0, m.size(), m.rss(), m.mse(), m.rmse(), m.mad(), m.r2());
  }
}
