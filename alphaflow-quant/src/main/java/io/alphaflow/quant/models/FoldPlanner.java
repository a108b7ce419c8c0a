package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link Split} into folds on the time axis of a {@link TrainingSet}. */
final class FoldPlanner {
  private FoldPlanner() {}

  static List<Fold> plan(TrainingSet data, Split split, int embargo) throws SQLException {
    List<Fold> folds = new ArrayList<>();
    if (!split.walkForward()) {
      long cut = data.quantiles(new double[] {1 - split.testFraction()})[0];
      folds.add(fold(data, 1, Long.MIN_VALUE, cut, Long.MAX_VALUE, embargo));
    } else {
      int k = split.folds();
      double[] fractions = new double[k];
      for (int i = 0; i < k; i++) {
        fractions[i] = (i + 1.0) / (k + 1.0);
      }
      long[] q = data.quantiles(fractions);
      for (int i = 0; i < k; i++) {
        long testTo = i + 1 < k ? q[i + 1] : Long.MAX_VALUE;
        if (q[i] >= testTo) {
          continue; // ties in time: this fold would test nothing
        }
        Fold f = fold(data, i + 1, Long.MIN_VALUE, q[i], testTo, embargo);
        if (split.window().equals("rolling")) {
          f =
              new Fold(
                  f.index(),
                  data.stepsBefore(f.trainTo(), split.trainSteps()),
                  f.trainTo(),
                  f.testFrom(),
                  f.testTo());
        }
        folds.add(f);
      }
    }
    List<String> windows = new ArrayList<>();
    for (Fold f : folds) {
      windows.add(f.trainWhere());
      windows.add(f.testWhere());
    }
    data.summarize(windows);
    List<Fold> usable = new ArrayList<>();
    for (Fold f : folds) {
      if (data.count(f.trainWhere()) > 0 && data.count(f.testWhere()) > 0) {
        usable.add(f);
      }
    }
    if (usable.isEmpty()) {
      throw TaskFailure.nonRetryable(
          "the split leaves no fold with both training and test rows ("
              + data.rows()
              + " usable rows, embargo "
              + embargo
              + " steps): use fewer folds, a smaller embargo or more data");
    }
    return usable;
  }

  private static Fold fold(
      TrainingSet data, int index, long trainFrom, long testFrom, long testTo, int embargo)
      throws SQLException {
    return new Fold(index, trainFrom, data.stepsBefore(testFrom, embargo), testFrom, testTo);
  }
}
