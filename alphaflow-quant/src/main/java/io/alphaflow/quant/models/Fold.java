package io.alphaflow.quant.models;

/**
 * One train/test split in time, in epoch microseconds of the time column: train on [trainFrom,
 * trainTo), test on [testFrom, testTo). Long.MIN_VALUE / MAX_VALUE mean open ends. Between trainTo
 * and testFrom lies the embargo, rows used by neither.
 */
public record Fold(int index, long trainFrom, long trainTo, long testFrom, long testTo) {
  public Fold {
    if (trainTo > testFrom) {
      throw new IllegalArgumentException(
          "fold " + index + " would train on rows after its test starts");
    }
  }

  String trainWhere() {
    return between(trainFrom, trainTo);
  }

  String testWhere() {
    return between(testFrom, testTo);
  }

  private static String between(long from, long to) {
    return "__t >= " + from + " AND __t < " + to;
  }
}
