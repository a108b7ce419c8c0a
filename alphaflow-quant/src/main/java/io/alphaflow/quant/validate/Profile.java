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
    List<String> numeric = new ArrayList<>();
    for (Map.Entry<String, String> c : columns.entrySet()) {
      if (Sql.isNumber(c.getValue())) {
        numeric.add(c.getKey());
      }
    }
    List<String> names = new ArrayList<>(columns.keySet());
    Map<String, Object> simple = simpleStats(db, file, columns);
    Map<String, double[]> sums = sums(db, file, rows, numeric);
    Map<String, Object> quartiles = quartiles(db, file, rows, numeric);
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String type = columns.get(name);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", type);
      long nulls = ((Number) simple.get("nulls" + i)).longValue();
      p.put("nulls", nulls);
      p.put("null_rate", rows == 0 ? 0.0 : (double) nulls / rows);
      if (sums.containsKey(name)) {
        double[] s = sums.get(name); // count, shift, sum of deviations, sum of their squares
        long n = (long) s[0];
        p.put("count", n);
        p.put("mean", n == 0 ? null : s[1] + s[2] / n);
        double var = n < 2 ? Double.NaN : (s[3] - s[2] * s[2] / n) / (n - 1);
        p.put("std", Double.isFinite(var) ? Math.sqrt(Math.max(var, 0)) : null);
        p.put("min", simple.get("min" + i));
        int q = numeric.indexOf(name);
        p.put("25%", quartiles.get("a" + q));
        p.put("50%", quartiles.get("b" + q));
        p.put("75%", quartiles.get("c" + q));
        p.put("max", simple.get("max" + i));
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

  /**
   * Nulls (NaN included), minimum and maximum of every column (of a time, as text), distinct values
   * of text; by the column's position: nulls0, min0, ...
   */
  private static Map<String, Object> simpleStats(
      Connection db, Path file, Map<String, String> columns) throws SQLException {
    List<String> select = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, String> c : columns.entrySet()) {
      String col = Sql.ident(c.getKey());
      String type = c.getValue();
      boolean floating = type.equals("DOUBLE") || type.equals("FLOAT");
      boolean time = type.startsWith("TIMESTAMP") || type.equals("DATE");
      select.add(
          "count(*) - count("
              + (floating ? "CASE WHEN NOT isnan(" + col + ") THEN 1 END" : col)
              + ") AS nulls"
              + i);
      if (!Sql.isText(type) && !type.equals("BOOLEAN")) {
        String finite = floating ? " FILTER (WHERE isfinite(" + col + "))" : "";
        String min = "min(" + col + ")" + finite;
        String max = "max(" + col + ")" + finite;
        select.add((time ? "CAST(" + min + " AS VARCHAR)" : min) + " AS min" + i);
        select.add((time ? "CAST(" + max + " AS VARCHAR)" : max) + " AS max" + i);
      }
      if (Sql.isText(type)) {
        select.add("count(DISTINCT " + col + ") AS distinct" + i);
      }
      i++;
    }
    return Sql.row(db, "SELECT " + String.join(", ", select) + " FROM " + Dataset.own(file, null));
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
   * Per numeric column: its finite values' count, the shift, and the sums of their deviations from
   * it and of their squares.
   */
  private static Map<String, double[]> sums(
      Connection db, Path file, long rows, List<String> numeric) throws SQLException {
    Map<String, double[]> out = new LinkedHashMap<>();
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
      String d =
          "CASE WHEN isfinite(" + x.get(i) + ") THEN " + x.get(i) + " - " + shift[i] + " END";
      aggregates.add("count(" + d + ") AS n" + i);
      aggregates.add("sum(" + d + ") AS d" + i);
      aggregates.add("sum((" + d + ") * (" + d + ")) AS q" + i);
    }
    List<Dataset.RowRange> parts = Dataset.parts(file, rows, Dataset.PART_ROWS);
    List<String> queries = new ArrayList<>();
    for (Dataset.RowRange r :
        parts.isEmpty() ? Collections.singletonList((Dataset.RowRange) null) : parts) {
      queries.add("SELECT " + String.join(", ", aggregates) + " FROM " + Dataset.own(file, r));
    }
    double[][] total = new double[numeric.size()][4];
    for (List<Map<String, Object>> part : Duck.parallel(db, queries)) {
      Map<String, Object> row = part.getFirst();
      for (int i = 0; i < numeric.size(); i++) {
        total[i][0] += ((Number) row.get("n" + i)).longValue();
        total[i][2] += row.get("d" + i) instanceof Number v ? v.doubleValue() : 0;
        total[i][3] += row.get("q" + i) instanceof Number v ? v.doubleValue() : 0;
      }
    }
    for (int i = 0; i < numeric.size(); i++) {
      total[i][1] = shift[i];
      out.put(numeric.get(i), total[i]);
    }
    return out;
  }
}
