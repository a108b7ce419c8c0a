package io.alphaflow.quant.features;

import java.util.Map;

/**
 * One computed column: its name, its SQL (which may name a window {@code w<N>}), and what it reads:
 * for each source column the row offsets relative to the current row ({@code [-4, 0]} for a 5-row
 * moving average). The label task's leakage guard works from {@code reads}.
 */
public record Feature(String name, String kind, String sql, Map<String, int[]> reads) {
  /**
   * The first offset of a window of the user's own SQL, whose reach back is not known: any earlier
   * row.
   */
  public static final int ANY_EARLIER = -1_000_000;

  public Feature {
    reads = Map.copyOf(reads);
  }

  /**
   * The first and last offsets at which this feature reads {@code column}, or null if it does not.
   * Names match as DuckDB matches them, whatever their case: {@code CLOSE} reads {@code close}.
   */
  public int[] reading(String column) {
    int[] out = null;
    for (Map.Entry<String, int[]> e : reads.entrySet()) {
      if (e.getKey().equalsIgnoreCase(column)) {
        int[] r = e.getValue();
        out = out == null ? r.clone() : new int[] {Math.min(out[0], r[0]), Math.max(out[1], r[1])};
      }
    }
    return out;
  }
}
