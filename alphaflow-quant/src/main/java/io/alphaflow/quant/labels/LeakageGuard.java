package io.alphaflow.quant.labels;

import io.alphaflow.quant.features.Feature;
import java.util.ArrayList;
import java.util.List;

/**
 * A feature that reads the label's source column at or after the label's time hands the model its
 * answer. Given the label's column and the first row offset it looks at, lists every such feature;
 * an empty list means no leakage.
 */
public final class LeakageGuard {
  private LeakageGuard() {}

  public static List<String> leaks(
      List<Feature> features, String column, int labelStart, String labelName) {
    List<String> out = new ArrayList<>();
    for (Feature f : features) {
      int[] r = f.reading(column);
      if (r != null && r[1] >= labelStart) {
        out.add(
            "feature '"
                + f.name()
                + "' reads "
                + column
                + " at "
                + offsets(r)
                + ", at or after the time of label '"
                + labelName
                + "' ("
                + column
                + " from t"
                + signed(labelStart)
                + ")");
      }
    }
    return out;
  }

  public static String hint(int horizon) {
    return horizon == 0
        ? "the label is "
            + "the current value (horizon 0): drop those features, or predict a later value with horizon >= 1"
        : "drop those features, or build them from rows before the label's horizon";
  }

  private static String offsets(int[] r) {
    if (r[0] <= Feature.ANY_EARLIER) {
      return "t" + signed(r[1]) + " and earlier rows";
    }
    return r[0] == r[1] ? "t" + signed(r[0]) : "t" + signed(r[0]) + "..t" + signed(r[1]);
  }

  private static String signed(int n) {
    return n >= 0 ? "+" + n : Integer.toString(n);
  }
}
