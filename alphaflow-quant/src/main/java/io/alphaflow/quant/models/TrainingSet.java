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
import java.util.Arrays;
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
    return stepsBefore(new long[] {t}, steps)[0];
  }

  /** {@link #stepsBefore(long, int)} for each of {@code ts}: a few steps take one scan each. */
  long[] stepsBefore(long[] ts, int steps) throws SQLException {
    long[] at = ts.clone();
    if (steps <= 0) {
      return at;
    }
    if (steps <= FEW_STEPS) {
      // an embargo of a few steps: per step, the last time before each of ts, all from one scan
      // of the time column, where DISTINCT would hash every earlier time (2 s at 10M rows)
      for (int i = 0; i < steps; i++) {
        long[] bounds =
            Arrays.stream(at).filter(x -> x != Long.MIN_VALUE).sorted().distinct().toArray();
        if (bounds.length == 0) {
          break; // nothing comes before any of them
        }
        Interval[] in = intervals(bounds, false);
        for (int j = 0; j < at.length; j++) {
          if (at[j] != Long.MIN_VALUE) {
            at[j] = lastBefore(in, Arrays.binarySearch(bounds, at[j]));
          }
        }
      }
      return at;
    }
    for (int j = 0; j < at.length; j++) {
      at[j] =
          scalarTime(
              "SELECT CASE WHEN count(*) = "
                  + steps
                  + " THEN min(__t) END FROM (SELECT DISTINCT __t FROM train_src WHERE __t < ?"
                  + " ORDER BY __t DESC LIMIT ?)",
              at[j],
              steps);
    }
    return at;
  }

  /** The last time in the intervals before bound {@code b} (of {@link #intervals}), or MIN. */
  private static long lastBefore(Interval[] in, int b) {
    for (int k = b; k >= 0; k--) {
      if (in[k].rows() > 0) {
        return in[k].last();
      }
    }
    return Long.MIN_VALUE;
  }

  /**
   * The rows between consecutive {@code bounds} (sorted, distinct): interval k holds the times in
   * [bounds[k-1], bounds[k]), the first from the start of time and the last to its end. One scan of
   * the time column answers questions about many windows whose ends are among the bounds; with
   * {@code moments}, each interval's {@link Moments} of the features and the target come too.
   */
  private Interval[] intervals(long[] bounds, boolean moments) throws SQLException {
    StringBuilder which = new StringBuilder("CASE");
    for (int k = 0; k < bounds.length; k++) {
      which.append(" WHEN __t < ").append(bounds[k]).append(" THEN ").append(k);
    }
    which.append(" ELSE ").append(bounds.length).append(" END");
    String extra = moments ? ", " + String.join(", ", Moments.aggregates(momentColumns())) : "";
    Interval[] out = new Interval[bounds.length + 1];
    Arrays.fill(out, Interval.EMPTY);
    for (Map<String, Object> r :
        Sql.rows(
            db,
            "SELECT k, count(*) AS n, max(__t) AS hi,"
                + " CAST(make_timestamp(min(__t)) AS VARCHAR) AS f,"
                + " CAST(make_timestamp(max(__t)) AS VARCHAR) AS t"
                + extra
                + " FROM (SELECT *, "
                + which
                + " AS k FROM train_src) GROUP BY k")) {
      out[((Number) r.get("k")).intValue()] =
          new Interval(
              ((Number) r.get("n")).longValue(),
              ((Number) r.get("hi")).longValue(),
              (String) r.get("f"),
              (String) r.get("t"),
              moments ? Moments.of(r, features.size() + 1) : null);
    }
    return out;
  }

  /** The columns of {@link Moments}: the features, then the target. */
  private List<String> momentColumns() {
    List<String> out = new ArrayList<>();
    features.forEach(f -> out.add(Sql.ident(f)));
    out.add("__y");
    return out;
  }

  /** Rows of one interval: how many, the last time, the first and last as text, and moments. */
  private record Interval(
      long rows, long last, String firstText, String lastText, Moments moments) {
    static final Interval EMPTY = new Interval(0, 0, null, null, null);
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
    Map<String, Object> s = summaries.get(where);
    if (s == null) {
      s =
          Sql.row(
              db,
              "SELECT count(*) AS n, CAST(make_timestamp(min(__t)) AS VARCHAR) AS f,"
                  + " CAST(make_timestamp(max(__t)) AS VARCHAR) AS t FROM train_src WHERE "
                  + where);
      summaries.put(where, s);
    }
    return s;
  }

  /**
   * Counts and time ranges of {@code windows} (key → [from, to) in epoch microseconds, open ends as
   * Long.MIN_VALUE / MAX_VALUE), all from one scan of the time column: a walk-forward split's folds
   * ask about 2 windows each, and a refit about all rows. With {@code withMoments}, the same scan
   * also gives each window's {@link Moments} for least squares, added up from the intervals between
   * the windows' bounds. Later calls with the same key are answered from memory.
   */
  void summarize(Map<String, long[]> windows, boolean withMoments) throws SQLException {
    Map<String, long[]> todo = new LinkedHashMap<>(windows);
    todo.keySet().removeAll(withMoments ? moments.keySet() : summaries.keySet());
    if (todo.isEmpty()) {
      return;
    }
    long[] bounds =
        todo.values().stream()
            .flatMapToLong(Arrays::stream)
            .filter(x -> x != Long.MIN_VALUE && x != Long.MAX_VALUE)
            .sorted()
            .distinct()
            .toArray();
    Interval[] in = intervals(bounds, withMoments);
    for (Map.Entry<String, long[]> w : todo.entrySet()) {
      long from = w.getValue()[0];
      long to = w.getValue()[1];
      int first = from == Long.MIN_VALUE ? 0 : Arrays.binarySearch(bounds, from) + 1;
      int end = to == Long.MAX_VALUE ? in.length : Arrays.binarySearch(bounds, to) + 1;
      long n = 0;
      String f = null;
      String t = null;
      Moments m = withMoments ? Moments.none(features.size() + 1) : null;
      for (int k = first; k < end; k++) {
        if (in[k].rows() > 0) {
          n += in[k].rows();
          f = f == null ? in[k].firstText() : f;
          t = in[k].lastText();
          if (withMoments) {
            m = m.plus(in[k].moments());
          }
        }
      }
      if (withMoments) {
        moments.put(w.getKey(), m);
      }
      Map<String, Object> s = new java.util.HashMap<>();
      s.put("n", n);
      s.put("f", f);
      s.put("t", t);
      summaries.put(w.getKey(), s);
    }
  }

  private final Map<String, Map<String, Object>> summaries = new java.util.HashMap<>();
  private final Map<String, Moments> moments = new java.util.HashMap<>();

  /**
   * The {@link Moments} of the rows in {@code where}: from {@link #summarize} when it was among its
   * windows, else from an aggregate over those rows.
   */
  Moments moments(String where) throws SQLException {
    Moments m = moments.get(where);
    if (m == null) {
      m =
          Moments.of(
              Sql.row(
                  db,
                  "SELECT "
                      + String.join(", ", Moments.aggregates(momentColumns()))
                      + " FROM train_src WHERE "
                      + where),
              features.size() + 1);
      moments.put(where, m);
    }
    return m;
  }

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
    String[] symbols = new String[n];
    StringBuilder cols = new StringBuilder();
    for (String f : features) {
      cols.append(Sql.ident(f)).append(", ");
    }
    try (ResultSet rs =
        db.createStatement()
            .executeQuery(
                "SELECT "
                    + cols
                    + "__y, __t"
                    + (symbolColumn == null ? "" : ", __symbol")
                    + " FROM train_src WHERE "
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
        symbols[i] = symbolColumn == null ? null : rs.getString(k + 3);
        i++;
      }
    }
    return new Rows(x, y, t, symbols);
  }

  /** Features, target, time and symbol (null without a symbol column) of each row. */
  record Rows(double[][] x, double[] y, long[] t, String[] symbols) {
    int size() {
      return y.length;
    }
  }
}
