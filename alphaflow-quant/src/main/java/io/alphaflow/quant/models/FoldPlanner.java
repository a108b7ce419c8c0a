package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Moments;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a {@link Split} into folds on the time axis of a {@link TrainingSet}. */
final class FoldPlanner {
  /** The window of a refit on every row. */
  static final String ALL = "TRUE";

  private FoldPlanner() {}

  /**
   * The folds of {@code split} on {@code data}'s time axis, each window summarized (and, with
   * {@code moments}, its {@link Moments} for least squares ready) in one scan.
   */
  static List<Fold> plan(TrainingSet data, Split split, int embargo, boolean moments)
      throws SQLException {
    // where each fold's test starts and ends; each test is the next fold's to start
    long[] testFrom;
    long[] testTo;
    if (!split.walkForward()) {
      testFrom = data.quantiles(new double[] {1 - split.testFraction()});
      testTo = new long[] {Long.MAX_VALUE};
    } else {
      int k = split.folds();
      double[] fractions = new double[k];
      for (int i = 0; i < k; i++) {
        fractions[i] = (i + 1.0) / (k + 1.0);
      }
      testFrom = data.quantiles(fractions);
      testTo = new long[k];
      for (int i = 0; i < k; i++) {
        testTo[i] = i + 1 < k ? testFrom[i + 1] : Long.MAX_VALUE;
      }
    }
    // the embargo before every test, and a rolling window's start, each in one pass for all folds
    long[] trainTo = data.stepsBefore(testFrom, embargo);
    long[] trainFrom = new long[testFrom.length];
    Arrays.fill(trainFrom, Long.MIN_VALUE);
    if (split.walkForward() && split.window().equals("rolling")) {
      trainFrom = data.stepsBefore(trainTo, split.trainSteps());
    }
    List<Fold> folds = new ArrayList<>();
    for (int i = 0; i < testFrom.length; i++) {
      if (testFrom[i] >= testTo[i]) {
        continue; // ties in time: this fold would test nothing
      }
      folds.add(new Fold(i + 1, trainFrom[i], trainTo[i], testFrom[i], testTo[i]));
    }
    Map<String, long[]> windows = new LinkedHashMap<>();
    for (Fold f : folds) {
      windows.put(f.trainWhere(), new long[] {f.trainFrom(), f.trainTo()});
      windows.put(f.testWhere(), new long[] {f.testFrom(), f.testTo()});
    }
    if (split.refit()) {
      windows.put(ALL, new long[] {Long.MIN_VALUE, Long.MAX_VALUE});
    }
    data.summarize(windows, moments);
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
}
