package io.alphaflow.quant.features;

import java.util.Map;

/**
 * One computed column: its name, its SQL (which may name a window {@code w<N>}), and what it reads:
 * for each source column the row offsets relative to the current row ({@code [-4, 0]} for a 5-row
 * moving average). The label task's leakage guard works from {@code reads}.
 */
public record Feature(String name, String kind, String sql, Map<String, int[]> reads) {
  public Feature {
    reads = Map.copyOf(reads);
  }

  /** The latest offset at which this feature reads {@code column}, or null if it does not. */
  public Integer latestOffset(String column) {
    int[] r = reads.get(column);
    return r == null ? null : r[1];
  }
}
