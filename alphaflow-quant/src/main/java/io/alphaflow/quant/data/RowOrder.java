package io.alphaflow.quant.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The order time-series tasks read rows in: by symbol (when there is one), then by time.
 *
 * <p>A task that writes its rows in that order says so with {@code sorted_by} in its metadata.
 * Downstream, {@code lag()} and {@code lead()} {@code OVER ()} then read the right neighbours in
 * file order, and DuckDB runs them as a streaming operator: one pass, no sort, nothing held. That
 * is what turns features and labels on 10M rows from a sort into a scan. Without that promise a
 * task sorts with {@code PARTITION BY symbol ORDER BY time} windows, as before.
 */
public record RowOrder(String symbol, String time) {
  /** The metadata key listing the columns a data file is sorted by. */
  public static final String KEY = "sorted_by";

  public RowOrder {
    if (time == null) {
      throw new IllegalArgumentException("a row order needs a time column");
    }
  }

  /** The sort columns, as written under {@link #KEY}. */
  public List<String> columns() {
    List<String> out = new ArrayList<>();
    if (symbol != null) {
      out.add(symbol);
    }
    out.add(time);
    return out;
  }

  /** Whether the metadata written beside {@code dataFile} says its rows are in this order. */
  public boolean heldBy(Path dataFile) {
    Object promised = Dataset.metadataWith(dataFile, KEY).get(KEY);
    return promised != null && columns().equals(promised);
  }

  /** {@code expr} as it was {@code offset} rows away in file order (negative: earlier rows). */
  public static String shift(String expr, int offset) {
    if (offset == 0) {
      return expr;
    }
    return (offset < 0 ? "lag(" : "lead(") + expr + ", " + Math.abs(offset) + ") OVER ()";
  }

  /**
   * {@code value} where the row {@code offset} away belongs to the same symbol (and so, the file
   * being sorted by symbol, every row in between too), else NULL. Rows past either end of the file
   * are NULL already.
   */
  public String sameSymbol(int offset, String value) {
    if (symbol == null || offset == 0) {
      return value;
    }
    String s = Sql.ident(symbol);
    return "CASE WHEN "
        + shift(s, offset)
        + " IS NOT DISTINCT FROM "
        + s
        + " THEN "
        + value
        + " END";
  }
}
