package io.alphaflow.quant.validate;

import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Moments;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code profile.json} of the rows validate let through (seed 002's "Validate &amp; Profile"): per
 * column its type, nulls and, as pandas' {@code describe()} gives them, the count, mean, standard
 * deviation (n - 1), minimum and maximum of a numeric column, the first and last of a time, the
 * distinct values of text. NaN counts as null, as the contract counts it.
 *
 * <p>Means and deviations are summed per part of the file, each part on one thread, and merged in
 * part order ({@link Duck#parallel}), as deviations from each column's median over the first rows
 * ({@link Moments#shifts}): the same bytes every run, where DuckDB's own parallel {@code avg}
 * varies in its last digit.
 */
final class Profile {
  private Profile() {}

  static Map<String, Object> of(Connection db, Path file, long rows, Map<String, String> columns)
      throws SQLException {
    return of(db, file, rows, columns, Dataset.PART_ROWS);
  }

  /** {@link #of}, the numeric columns summed in parts of {@code partRows} rows (or more). */
  static Map<String, Object> of(
      Connection db, Path file, long rows, Map<String, String> columns, long partRows)
      throws SQLException {
    List<String> numeric = new ArrayList<>();
    for (Map.Entry<String, String> c : columns.entrySet()) {
      if (Sql.isNumber(c.getValue())) {
        numeric.add(c.getKey());
      }
    }
    List<String> names = new ArrayList<>(columns.keySet());
    Map<String, Object> simple = simpleStats(db, file, columns);
    Map<String, Numeric> sums = sums(db, file, rows, numeric, columns, partRows);
    Map<String, Object> quartiles = quartiles(db, file, rows, numeric);
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String type = columns.get(name);
      Numeric s = sums.get(name);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", type);
      long nulls = s != null ? s.nulls : ((Number) simple.get("nulls" + i)).longValue();
      p.put("nulls", nulls);
      p.put("null_rate", rows == 0 ? 0.0 : (double) nulls / rows);
      if (s != null) {
        long n = s.count;
        p.put("count", n);
        p.put("mean", n == 0 ? null : s.shift + s.sum / n);
        double var = n < 2 ? Double.NaN : (s.squares - s.sum * s.sum / n) / (n - 1);
        p.put("std", Double.isFinite(var) ? Math.sqrt(Math.max(var, 0)) : null);
        p.put("min", s.min);
        int q = numeric.indexOf(name);
        p.put("25%", quartiles.get("a" + q));
        p.put("50%", quartiles.get("b" + q));
        p.put("75%", quartiles.get("c" + q));
        p.put("max", s.max);
      } else if (type.startsWith("TIMESTAMP") || type.equals("DATE")) {
        p.put("first", simple.get("min" + i));
        p.put("last", simple.get("max" + i));
      } else if (Sql.isText(type)) {
        p.put("distinct", simple.get("distinct" + i));
      }
      out.put(name, p);
    }
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("rows", rows);
    profile.put("columns", out);
    return profile;
  }

  private static boolean floating(String type) {
    return type.equals("DOUBLE") || type.equals("FLOAT");
  }

  /** Nulls of a column, NaN counted as null: {@code count(*) - count(...)}. */
  private static String nulls(String col, String type) {
    return "count(*) - count("
        + (floating(type) ? "CASE WHEN NOT isnan(" + col + ") THEN 1 END" : col)
        + ")";
  }

  /** A column's finite values, for its minimum and maximum. */
  private static String finite(String col, String type) {
    return floating(type) ? " FILTER (WHERE isfinite(" + col + "))" : "";
  }

  /**
   * Of the columns that are not numeric (the numeric ones come from {@link #sums}' pass): nulls,
   * the first and last of a time (as text), distinct values of text; by the column's position:
   * nulls0, min0, ...
   */
  private static Map<String, Object> simpleStats(
      Connection db, Path file, Map<String, String> columns) throws SQLException {
    List<String> select = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> c : columns.entrySet()) {
      String col = Sql.ident(c.getKey());
      String type = c.getValue();
      if (!Sql.isNumber(type)) {
        select.add(nulls(col, type) + " AS nulls" + i);
        if (!Sql.isText(type) && !type.equals("BOOLEAN")) {
          select.add("CAST(min(" + col + ") AS VARCHAR) AS min" + i);
          select.add("CAST(max(" + col + ") AS VARCHAR) AS max" + i);
        }
        if (Sql.isText(type)) {
          select.add("count(DISTINCT " + col + ") AS distinct" + i);
        }
      }
      i++;
    }
    return select.isEmpty()
        ? Map.of()
        : Sql.row(db, "SELECT " + String.join(", ", select) + " FROM " + Dataset.own(file, null));
  }

  /** Rows a file is read by for its quartiles, about, when it holds more. */
  static final long QUARTILE_SAMPLE = 250_000;

  /**
   * Each numeric column's quartiles of its finite values, interpolated as pandas does ({@code
   * quantile_cont}): a0, b0, c0 for the first column. Exact up to {@link #QUARTILE_SAMPLE} rows;
   * past that, of every k-th row of the file, the same rows every run.
   */
  private static Map<String, Object> quartiles(
      Connection db, Path file, long rows, List<String> numeric) throws SQLException {
    if (numeric.isEmpty()) {
      return Map.of();
    }
    long every = Math.max(1, Math.ceilDiv(rows, QUARTILE_SAMPLE));
    List<String> select = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      String x = "CAST(" + Sql.ident(numeric.get(i)) + " AS DOUBLE)";
      String finite = " FILTER (WHERE isfinite(" + x + "))";
      select.add("quantile_cont(" + x + ", 0.25)" + finite + " AS a" + i);
      select.add("quantile_cont(" + x + ", 0.5)" + finite + " AS b" + i);
      select.add("quantile_cont(" + x + ", 0.75)" + finite + " AS c" + i);
    }
    return Sql.row(
        db,
        "SELECT "
            + String.join(", ", select)
            + " FROM read_parquet("
            + Sql.literal(file.toAbsolutePath().toString())
            + ", file_row_number = true)"
            + (every > 1 ? " WHERE file_row_number % " + every + " = 0" : ""));
  }

  /**
   * A numeric column's figures: nulls (NaN included), its finite values' count, the shift, the sums
   * of their deviations from it and of their squares, and its finite minimum and maximum (of the
   * column's own type: an integer column's are integers).
   */
  private static final class Numeric {
    long nulls;
    long count;
    double shift;
    double sum;
    double squares;
    Object min;
    Object max;

    /** Adds a part's figures; minimum and maximum of parts that have any. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    void add(Map<String, Object> row, int i) {
      nulls += ((Number) row.get("z" + i)).longValue();
      count += ((Number) row.get("n" + i)).longValue();
      sum += row.get("d" + i) instanceof Number v ? v.doubleValue() : 0;
      squares += row.get("q" + i) instanceof Number v ? v.doubleValue() : 0;
      Object lo = row.get("lo" + i);
      Object hi = row.get("hi" + i);
      if (lo != null && (min == null || ((Comparable) lo).compareTo(min) < 0)) {
        min = lo;
      }
      if (hi != null && (max == null || ((Comparable) hi).compareTo(max) > 0)) {
        max = hi;
      }
    }
  }

  /**
   * Each numeric column's {@link Numeric} figures, from one pass over the file's parts side by
   * side, merged in part order.
   */
  private static Map<String, Numeric> sums(
      Connection db,
      Path file,
      long rows,
      List<String> numeric,
      Map<String, String> columns,
      long partRows)
      throws SQLException {
    Map<String, Numeric> out = new LinkedHashMap<>();
    if (numeric.isEmpty()) {
      return out;
    }
    List<String> x = new ArrayList<>();
    for (String c : numeric) {
      x.add("CAST(" + Sql.ident(c) + " AS DOUBLE)");
    }
    double[] shift = Moments.shifts(db, Dataset.own(file, null), x);
    List<String> aggregates = new ArrayList<>();
    for (int i = 0; i < numeric.size(); i++) {
      String col = Sql.ident(numeric.get(i));
      String type = columns.get(numeric.get(i));
      String d =
          "CASE WHEN isfinite(" + x.get(i) + ") THEN " + x.get(i) + " - " + shift[i] + " END";
      aggregates.add(nulls(col, type) + " AS z" + i);
      aggregates.add("count(" + d + ") AS n" + i);
      aggregates.add("sum(" + d + ") AS d" + i);
      aggregates.add("sum((" + d + ") * (" + d + ")) AS q" + i);
      aggregates.add("min(" + col + ")" + finite(col, type) + " AS lo" + i);
      aggregates.add("max(" + col + ")" + finite(col, type) + " AS hi" + i);
    }
    List<Dataset.RowRange> parts = Dataset.parts(file, rows, partRows);
    List<String> queries = new ArrayList<>();
    for (Dataset.RowRange r :
        parts.isEmpty() ? Collections.singletonList((Dataset.RowRange) null) : parts) {
      queries.add("SELECT " + String.join(", ", aggregates) + " FROM " + Dataset.own(file, r));
    }
    for (int i = 0; i < numeric.size(); i++) {
      Numeric n = new Numeric();
      n.shift = shift[i];
      out.put(numeric.get(i), n);
    }
    for (List<Map<String, Object>> part : Duck.parallel(db, queries)) {
      Map<String, Object> row = part.getFirst();
      for (int i = 0; i < numeric.size(); i++) {
        out.get(numeric.get(i)).add(row, i);
      }
    }
    return out;
  }
}
