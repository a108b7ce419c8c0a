package io.alphaflow.quant.clean;

import io.alphaflow.core.flow.Durations;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bars from ticks or finer bars. open → first, high → max, low → min, close → last, volume → sum,
 * other numeric columns → last; {@code price: COL} builds open/high/low/close from one price
 * column. A bar covers (end - every, end] and is stamped with its end.
 */
final class Resample {
  private Resample() {}

  static String query(
      String table,
      Map<String, String> columns,
      String ts,
      String symbol,
      Map<String, Object> spec) {
    String every = String.valueOf(spec.get("every")).replace("min", "m");
    long micros = Durations.parse(every).toNanos() / 1000;
    String t = Sql.ident(ts);
    String interval = "to_microseconds(" + micros + ")";
    // bucket by the end of the bar: a row exactly on a boundary closes that bar
    String end =
        "(time_bucket(" + interval + ", " + t + " - INTERVAL 1 MICROSECOND) + " + interval + ")";
    List<String> select = new ArrayList<>();
    select.add(end + " AS " + t);
    if (symbol != null) {
      select.add(Sql.ident(symbol));
    }
    Object price = spec.get("price");
    if (price != null) {
      String p = Sql.ident(String.valueOf(price));
      Configs.requireColumns(columns, "the input", "resample.price", String.valueOf(price));
      select.add("first(" + p + " ORDER BY " + t + ", __row) AS open");
      select.add("max(" + p + ") AS high");
      select.add("min(" + p + ") AS low");
      select.add("last(" + p + " ORDER BY " + t + ", __row) AS close");
    }
    for (Map.Entry<String, String> c : columns.entrySet()) {
      String name = c.getKey();
      if (name.equals(ts) || name.equals(symbol) || name.equals(price)) {
        continue;
      }
      String col = Sql.ident(name);
      String agg =
          switch (name.toLowerCase(Locale.ROOT)) {
            case "open" -> "first(" + col + " ORDER BY " + t + ", __row)";
            case "high" -> "max(" + col + ")";
            case "low" -> "min(" + col + ")";
            case "volume" -> "sum(" + col + ")";
            default -> "last(" + col + " ORDER BY " + t + ", __row)";
          };
      select.add(agg + " AS " + col);
    }
    select.add("count(*) AS rows_in_bar");
    String group = "1" + (symbol == null ? "" : ", 2");
    return "SELECT "
        + String.join(", ", select)
        + " FROM "
        + table
        + " GROUP BY "
        + group
        + " ORDER BY "
        + (symbol == null ? "" : Sql.ident(symbol) + ", ")
        + t;
  }
}
