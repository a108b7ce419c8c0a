package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a model learns from, as the DuckDB view {@code train_src}: the feature columns, the
 * target {@code __y} and the time {@code __t} (epoch microseconds). Rows with a missing feature or
 * target are left out (a 5-row moving average has none for its first 4 rows).
 */
final class TrainingSet {
  private static final int FEW_STEPS = 16;

  final Connection db;
  final List<String> features;
  final String target;
  final String timeColumn;
  final String symbolColumn;
  private final Path input;
  private final long allRows;
  private Long rows; // counted with the first quantiles, which scan every usable row anyway

  TrainingSet(
      Connection db, Path input, List<String> features, String target, String time, String symbol)
      throws SQLException {
    this.db = db;
    this.features = List.copyOf(features);
    this.target = target;
    this.timeColumn = time;
    this.symbolColumn = symbol;
    this.input = input;
    String src = Dataset.scan(input);
    Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + src);
    List<String> needed = new ArrayList<>(features);
    needed.add(target);
    needed.add(time);
    for (String c : needed) {
      if (!columns.containsKey(c)) {
        throw TaskFailure.nonRetryable(
            "column '"
                + c
                + "' is not in "
                + input
                + " (columns: "
                + String.join(", ", columns.keySet())
                + ")");
      }
    }
    StringBuilder select = new StringBuilder("SELECT ");
    StringBuilder notNull = new StringBuilder();
    for (String f : features) {
      select.append("CAST(").append(Sql.ident(f)).append(" AS DOUBLE) AS ").append(Sql.ident(f));
      select.append(", ");
      notNull.append(" AND isfinite(CAST(").append(Sql.ident(f)).append(" AS DOUBLE))");
    }
    select
        .append("CAST(")
        .append(Sql.ident(target))
        .append(" AS DOUBLE) AS __y, epoch_us(CAST(")
        .append(Sql.ident(time))
        .append(" AS TIMESTAMP)) AS __t");
    if (symbol != null) {
      select.append(", CAST(").append(Sql.ident(symbol)).append(" AS VARCHAR) AS __symbol");
    }
    select
        .append(" FROM ")
        .append(src)
        .append(" WHERE ")
        .append(Sql.ident(time))
        .append(" IS NOT NULL AND isfinite(CAST(")
        .append(Sql.ident(target))
        .append(" AS DOUBLE))")
        .append(notNull);
    Sql.exec(db, "CREATE OR REPLACE TEMP VIEW train_src AS " + select);
    this.allRows = Sql.count(db, src);
  }

  /** The usable rows: those with a time, a finite target and every feature finite. */
  long rows() throws SQLException {
    if (rows == null) {
      counted(Sql.count(db, "train_src"));
    }
    return rows;
  }

  /** The rows left out: a feature or the target is missing or not finite there. */
  long droppedRows() throws SQLException {
    return allRows - rows();
  }

  private void counted(long n) {
    if (n == 0) {
      throw TaskFailure.nonRetryable(
          "no usable rows in "
              + input
              + ": every row has a missing or non-finite feature or target (features: "
              + String.join(", ", features)
              + ", target: "
              + target
              + ")");
    }
    rows = n;
  }

  /** The time at each quantile of the rows (row-weighted), ascending. */
  long[] quantiles(double[] fractions) throws SQLException {
    StringBuilder list = new StringBuilder();
    for (double f : fractions) {
      list.append(list.isEmpty() ? "" : ", ").append(f);
    }
    try (ResultSet rs =
        db.createStatement()
            .executeQuery(
                "SELECT count(*) AS n, quantile_disc(__t, [" + list + "]) AS q FROM train_src")) {
      rs.next();
      counted(rs.getLong(1));
      Object[] q = (Object[]) rs.getArray(2).getArray();
      long[] out = new long[q.length];
      for (int i = 0; i < q.length; i++) {
        out[i] = ((Number) q[i]).longValue();
      }
      return out;
    }
  }

  /**
   * The distinct time {@code steps} steps before {@code t} (t itself if steps is 0), or {@link
   * Long#MIN_VALUE} when fewer distinct times come before t.
   */
  long stepsBefore(long t, int steps) throws SQLException {
    if (steps <= 0) {
      return t;
    }
    if (steps <= FEW_STEPS) {
      // an embargo of a few steps: a max() per step reads one column, where DISTINCT would hash
      // every earlier time (2 s at 10M rows)
      long at = t;
      for (int i = 0; i < steps && at != Long.MIN_VALUE; i++) {
        at = scalarTime("SELECT max(__t) FROM train_src WHERE __t < ?", at, null);
      }
      return at;
    }
    return scalarTime(
        "SELECT CASE WHEN count(*) = "
            + steps
            + " THEN min(__t) END FROM (SELECT DISTINCT __t FROM train_src WHERE __t < ?"
            + " ORDER BY __t DESC LIMIT ?)",
        t,
        steps);
  }

  private long scalarTime(String sql, long t, Integer limit) throws SQLException {
    try (PreparedStatement ps = db.prepareStatement(sql)) {
      ps.setLong(1, t);
      if (limit != null) {
        ps.setInt(2, limit);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? Long.MIN_VALUE : v;
      }
    }
  }

  /** Rows in {@code where}. */
  long count(String where) throws SQLException {
    return ((Number) summary(where).get("n")).longValue();
  }

  /** The first and last time in {@code where}, as ISO timestamps: {from, to}. */
  Map<String, Object> range(String where) throws SQLException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("from", summary(where).get("f"));
    out.put("to", summary(where).get("t"));
    return out;
  }

  /**
   * Row count and time range of {@code where}. The fold planner, the fold metadata and {@link
   * #load} ask about the same windows; the rows never change during a task, so each window is
   * summarized once (all of a split's windows in one scan: {@link #summarize}).
   */
  private Map<String, Object> summary(String where) throws SQLException {
    summarize(List.of(where));
    return summaries.get(where);
  }

  /**
   * Counts and time ranges of every window in {@code wheres} not yet known, in one scan (a
   * walk-forward split's folds ask about 2 windows each).
   */
  void summarize(List<String> wheres) throws SQLException {
    List<String> todo = wheres.stream().distinct().filter(w -> !summaries.containsKey(w)).toList();
    if (todo.isEmpty()) {
      return;
    }
    StringBuilder select = new StringBuilder("SELECT ");
    for (int i = 0; i < todo.size(); i++) {
      String only = " FILTER (WHERE " + todo.get(i) + ")";
      select
          .append(i == 0 ? "" : ", ")
          .append("count(*)")
          .append(only)
          .append(" AS n")
          .append(i)
          .append(", CAST(make_timestamp(min(__t)")
          .append(only)
          .append(") AS VARCHAR) AS f")
          .append(i)
          .append(", CAST(make_timestamp(max(__t)")
          .append(only)
          .append(") AS VARCHAR) AS t")
          .append(i);
    }
    Map<String, Object> row = Sql.row(db, select + " FROM train_src");
    for (int i = 0; i < todo.size(); i++) {
      Map<String, Object> s = new java.util.HashMap<>();
      s.put("n", row.get("n" + i));
      s.put("f", row.get("f" + i));
      s.put("t", row.get("t" + i));
      summaries.put(todo.get(i), s);
    }
  }

  private final Map<String, Map<String, Object>> summaries = new java.util.HashMap<>();

  double median(String where) throws SQLException {
    Object m = Sql.row(db, "SELECT median(__y) AS m FROM train_src WHERE " + where).get("m");
    return ((Number) m).doubleValue();
  }

  /** The rows in {@code where}, in time order, as arrays for Smile. */
  Rows load(String where) throws SQLException {
    int n = (int) count(where);
    double[][] x = new double[n][features.size()];
    double[] y = new double[n];
    long[] t = new long[n];
    StringBuilder cols = new StringBuilder();
    for (String f : features) {
      cols.append(Sql.ident(f)).append(", ");
    }
    try (ResultSet rs =
        db.createStatement()
            .executeQuery(
                "SELECT "
                    + cols
                    + "__y, __t FROM train_src WHERE "
                    + where
                    + " ORDER BY __t"
                    + (symbolColumn == null ? "" : ", __symbol"))) {
      int i = 0;
      int k = features.size();
      while (rs.next()) {
        for (int j = 0; j < k; j++) {
          x[i][j] = rs.getDouble(j + 1);
        }
        y[i] = rs.getDouble(k + 1);
        t[i] = rs.getLong(k + 2);
        i++;
      }
    }
    return new Rows(x, y, t);
  }

  record Rows(double[][] x, double[] y, long[] t) {
    int size() {
      return y.length;
    }
  }
}
