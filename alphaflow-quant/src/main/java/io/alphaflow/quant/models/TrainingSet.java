package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Moments;
import io.alphaflow.quant.data.RowOrder;
import io.alphaflow.quant.data.Sql;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a model learns from, as the DuckDB view {@code train_src}: the feature columns, the
 * target {@code __y} and the time {@code __t} (epoch microseconds), and for a value label the
 * column it is read from, at the row's own time ({@code __unchanged}, evaluate's no-change
 * forecast). Rows with a missing feature or target are left out (a 5-row moving average has none
 * for its first 4 rows).
 *
 * <p>A Parquet input is read in parts of {@link #PART_ROWS} consecutive rows (more in files of over
 * 64 such parts: {@link Dataset#parts}), the views {@code train_part_<k>}, scanned side by side
 * ({@link Duck#parallel}): DuckDB reads a positional join (a label beside its features) on one
 * thread. One pass gives each part's row count, time range and, for least squares, {@link Moments}.
 * A question about a time window then only scans the parts whose time range crosses one of its
 * ends: in rows kept in time order, one part per end. Results are merged in part order and the
 * parts depend only on the row count, so the same input gives the same sums, and model bytes, on
 * any number of threads.
 */
final class TrainingSet {
  private static final int FEW_STEPS = 16;

  /** Rows per part, at least: the unit of work scanned on one thread. */
  static final long PART_ROWS = Dataset.PART_ROWS;

  final Connection db;
  final List<String> features;
  final String target;
  final String timeColumn;
  final String symbolColumn;

  /** A value label's column, its value at each row's own time; null for any other target. */
  final String unchangedColumn;

  private final Path input;
  private final long allRows;
  private final boolean withMoments;
  private final boolean heldInTimeOrder;
  private final List<Dataset.RowRange> ranges; // none: one part, train_src itself
  private double[] shifts; // Moments' shifts, once computed
  private Interval[] parts; // each part's rows, once counted
  private int rangeViews;

  TrainingSet(
      Connection db, Path input, List<String> features, String target, String time, String symbol)
      throws SQLException {
    this(db, input, features, target, time, symbol, false, PART_ROWS, null);
  }

  /**
   * With {@code moments}, the first pass also sums what least squares needs, so every window's
   * {@link Moments} comes from it (and the scans of the parts its ends cross). {@code unchanged}
   * names a value label's column, kept beside each row as {@code __unchanged} (NULL where missing:
   * it leaves no row out); null for none.
   */
  TrainingSet(
      Connection db,
      Path input,
      List<String> features,
      String target,
      String time,
      String symbol,
      boolean moments,
      long partRows,
      String unchanged)
      throws SQLException {
    this.db = db;
    this.features = List.copyOf(features);
    this.target = target;
    this.timeColumn = time;
    this.symbolColumn = symbol;
    this.unchangedColumn = unchanged;
    this.input = input;
    this.withMoments = moments;
    this.heldInTimeOrder = symbol == null && new RowOrder(null, time).heldBy(input);
    String src = Dataset.scan(input);
    Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + src);
    List<String> needed = new ArrayList<>(features);
    needed.add(target);
    needed.add(time);
    if (unchanged != null) {
      needed.add(unchanged);
    }
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
    // views, not temp views: the connections that scan parts side by side see them too
    Sql.exec(db, "CREATE OR REPLACE VIEW train_src AS " + usable(src));
    // a Parquet file's footer counts its rows (every file of a chain holds as many)
    this.allRows = Dataset.rangeable(input) ? Dataset.rows(db, input) : Sql.count(db, src);
    this.ranges = Dataset.parts(input, allRows, partRows);
    for (int k = 0; k < ranges.size(); k++) {
      Sql.exec(
          db,
          "CREATE OR REPLACE VIEW train_part_"
              + k
              + " AS "
              + usable(Dataset.scan(input, ranges.get(k))));
    }
  }

  /** The usable rows of {@code src}, as {@code train_src} holds them. */
  private String usable(String src) {
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
        .append(Sql.ident(timeColumn))
        .append(" AS TIMESTAMP)) AS __t");
    if (symbolColumn != null) {
      select.append(", CAST(").append(Sql.ident(symbolColumn)).append(" AS VARCHAR) AS __symbol");
    }
    if (unchangedColumn != null) {
      select
          .append(", CAST(")
          .append(Sql.ident(unchangedColumn))
          .append(" AS DOUBLE) AS __unchanged");
    }
    return select
        .append(" FROM ")
        .append(src)
        .append(" WHERE ")
        .append(Sql.ident(timeColumn))
        .append(" IS NOT NULL AND isfinite(CAST(")
        .append(Sql.ident(target))
        .append(" AS DOUBLE))")
        .append(notNull)
        .toString();
  }

  private int partCount() {
    return Math.max(1, ranges.size());
  }

  private String partView(int k) {
    return ranges.isEmpty() ? "train_src" : "train_part_" + k;
  }

  /** The usable rows: those with a time, a finite target and every feature finite. */
  long rows() throws SQLException {
    long n = 0;
    for (Interval p : parts()) {
      n += p.rows();
    }
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
    return n;
  }

  /** The rows left out: a feature or the target is missing or not finite there. */
  long droppedRows() throws SQLException {
    return allRows - rows();
  }

  /**
   * Each part's usable rows (count, time range and, with moments, {@link Moments}), from one pass
   * over the parts side by side.
   */
  private Interval[] parts() throws SQLException {
    if (parts == null) {
      List<String> queries = new ArrayList<>();
      for (int k = 0; k < partCount(); k++) {
        queries.add("SELECT " + stats(withMoments) + " FROM " + partView(k));
      }
      List<List<Map<String, Object>>> rows = Duck.parallel(db, queries);
      Interval[] out = new Interval[partCount()];
      for (int k = 0; k < out.length; k++) {
        out[k] = interval(rows.get(k).getFirst(), withMoments);
      }
      parts = out;
    }
    return parts;
  }

  /** What {@link #interval} reads back: rows, time range (also as text) and, with moments, sums. */
  private String stats(boolean moments) throws SQLException {
    return "count(*) AS n, min(__t) AS lo, max(__t) AS hi,"
        + " CAST(make_timestamp(min(__t)) AS VARCHAR) AS f,"
        + " CAST(make_timestamp(max(__t)) AS VARCHAR) AS t"
        + (moments ? ", " + String.join(", ", Moments.aggregates(momentColumns(), shifts())) : "");
  }

  /** An {@link Interval} from a row of {@link #stats}. */
  private Interval interval(Map<String, Object> r, boolean moments) {
    long n = ((Number) r.get("n")).longValue();
    if (n == 0) {
      return Interval.EMPTY;
    }
    return new Interval(
        n,
        ((Number) r.get("lo")).longValue(),
        ((Number) r.get("hi")).longValue(),
        (String) r.get("f"),
        (String) r.get("t"),
        moments ? Moments.of(r, shifts) : null);
  }

  private double[] shifts() throws SQLException {
    if (shifts == null) {
      shifts = Moments.shifts(db, "train_src", momentColumns());
    }
    return shifts;
  }

  /**
   * The time at each quantile of the rows (row-weighted), ascending: DuckDB's {@code
   * quantile_disc}, the time of the row at 0-based rank max(1, ceil(n * f)) - 1 in time order. When
   * the parts follow each other in time (each part's times no later than the next part's), that row
   * lies in a part its rank names, and only that part is searched.
   */
  long[] quantiles(double[] fractions) throws SQLException {
    long n = rows();
    Interval[] ps = parts();
    long[] out = new long[fractions.length];
    if (ps.length == 1 || !inTimeOrder(ps)) {
      StringBuilder list = new StringBuilder();
      for (double f : fractions) {
        list.append(list.isEmpty() ? "" : ", ").append(decimal(f).toPlainString());
      }
      Object[] q =
          (Object[])
              ((java.sql.Array)
                      Sql.row(db, "SELECT quantile_disc(__t, [" + list + "]) AS q FROM train_src")
                          .get("q"))
                  .getArray();
      for (int i = 0; i < q.length; i++) {
        out[i] = ((Number) q[i]).longValue();
      }
      return out;
    }
    for (int i = 0; i < fractions.length; i++) {
      long rank = rank(n, decimal(fractions[i]));
      int k = 0;
      while (rank >= ps[k].rows()) {
        rank -= ps[k].rows();
        k++;
      }
      // the rank-th time of part k, by quantile_disc's own rule: fraction (rank + 1/2) / rows
      BigDecimal within =
          BigDecimal.valueOf(2 * rank + 1)
              .divide(BigDecimal.valueOf(2 * ps[k].rows()), 24, RoundingMode.HALF_EVEN);
      out[i] =
          ((Number)
                  Sql.row(
                          db,
                          "SELECT quantile_disc(__t, "
                              + within.toPlainString()
                              + ") AS q FROM "
                              + partView(k))
                      .get("q"))
              .longValue();
    }
    return out;
  }

  /** A fraction as the exact decimal DuckDB reads from its shortest text. */
  private static BigDecimal decimal(double f) {
    return new BigDecimal(Double.toString(f));
  }

  /** quantile_disc's 0-based rank for fraction {@code f} of {@code n} rows. */
  static long rank(long n, BigDecimal f) {
    long ceil =
        BigDecimal.valueOf(n).multiply(f).setScale(0, RoundingMode.CEILING).longValueExact();
    return Math.max(1, ceil) - 1;
  }

  /** Whether the non-empty parts follow each other in time: none starts before the last ended. */
  private static boolean inTimeOrder(Interval[] ps) {
    long last = Long.MIN_VALUE;
    for (Interval p : ps) {
      if (p.rows() > 0) {
        if (p.first() < last) {
          return false;
        }
        last = p.last();
      }
    }
    return true;
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
   * [bounds[k-1], bounds[k]), the first from the start of time and the last to its end. A part
   * whose time range lies within one interval adds its counts (and moments) to it as they are; the
   * parts that cross a bound are scanned, side by side, grouped by interval. With {@code moments},
   * each interval's {@link Moments} of the features and the target come too.
   */
  private Interval[] intervals(long[] bounds, boolean moments) throws SQLException {
    Interval[] ps = parts();
    boolean known = !moments || withMoments; // the parts' own moments can be added up
    List<Integer> crossing = new ArrayList<>();
    for (int k = 0; k < ps.length; k++) {
      if (ps[k].rows() > 0 && (!known || of(bounds, ps[k].first()) != of(bounds, ps[k].last()))) {
        crossing.add(k);
      }
    }
    StringBuilder which = new StringBuilder("CASE");
    for (int k = 0; k < bounds.length; k++) {
      which.append(" WHEN __t < ").append(bounds[k]).append(" THEN ").append(k);
    }
    which.append(" ELSE ").append(bounds.length).append(" END");
    List<String> queries = new ArrayList<>();
    for (int k : crossing) {
      queries.add(
          "SELECT k, "
              + stats(moments)
              + " FROM (SELECT *, "
              + which
              + " AS k FROM "
              + partView(k)
              + ") GROUP BY k ORDER BY k");
    }
    List<List<Map<String, Object>>> grouped = Duck.parallel(db, queries);
    Interval[] out = new Interval[bounds.length + 1];
    Arrays.fill(out, Interval.EMPTY);
    for (int k = 0, c = 0; k < ps.length; k++) {
      if (c < crossing.size() && crossing.get(c) == k) {
        for (Map<String, Object> r : grouped.get(c++)) {
          int j = ((Number) r.get("k")).intValue();
          out[j] = out[j].plus(interval(r, moments));
        }
      } else if (ps[k].rows() > 0) {
        int j = of(bounds, ps[k].first());
        out[j] = out[j].plus(moments ? ps[k] : ps[k].withoutMoments());
      }
    }
    return out;
  }

  /** The interval of {@link #intervals} that holds time {@code t}. */
  private static int of(long[] bounds, long t) {
    int i = Arrays.binarySearch(bounds, t);
    return i >= 0 ? i + 1 : -(i + 1);
  }

  /**
   * The usable rows as a relation reading only the parts whose time range meets one of {@code
   * windows} ([from, to) in epoch microseconds) and the parts between them, in the input's order: a
   * holdout's test rows, in rows kept in time order, are the last parts alone.
   */
  String rowsIn(List<long[]> windows) throws SQLException {
    Interval[] ps = parts();
    int first = -1;
    int last = -1;
    for (int k = 0; k < ps.length; k++) {
      for (long[] w : windows) {
        if (ps[k].rows() > 0 && ps[k].first() < w[1] && ps[k].last() >= w[0]) {
          first = first < 0 ? k : first;
          last = k;
        }
      }
    }
    if (ranges.isEmpty() || first < 0 || (first == 0 && last == ps.length - 1)) {
      return "train_src";
    }
    String view = "train_rows_" + rangeViews++;
    Sql.exec(
        db,
        "CREATE VIEW "
            + view
            + " AS "
            + usable(
                Dataset.scan(
                    input, new Dataset.RowRange(ranges.get(first).from(), ranges.get(last).to()))));
    return view;
  }

  /** The columns of {@link Moments}: the features, then the target. */
  private List<String> momentColumns() {
    List<String> out = new ArrayList<>();
    features.forEach(f -> out.add(Sql.ident(f)));
    out.add("__y");
    return out;
  }

  /** Rows of one interval: how many, the first and last time (also as text), and moments. */
  private record Interval(
      long rows, long first, long last, String firstText, String lastText, Moments moments) {
    static final Interval EMPTY = new Interval(0, 0, 0, null, null, null);

    /** This interval's rows and {@code o}'s, disjoint, together: {@code o} comes later. */
    Interval plus(Interval o) {
      if (o.rows == 0) {
        return this;
      }
      if (rows == 0) {
        return o;
      }
      boolean firstHere = first <= o.first;
      boolean lastHere = last >= o.last;
      return new Interval(
          rows + o.rows,
          firstHere ? first : o.first,
          lastHere ? last : o.last,
          firstHere ? firstText : o.firstText,
          lastHere ? lastText : o.lastText,
          moments == null || o.moments == null ? null : moments.plus(o.moments));
    }

    Interval withoutMoments() {
      return new Interval(rows, first, last, firstText, lastText, null);
    }
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
      Interval window = Interval.EMPTY;
      for (int k = first; k < end; k++) {
        window = window.plus(in[k]);
      }
      if (withMoments) {
        moments.put(
            w.getKey(), window.rows() == 0 ? Moments.none(features.size() + 1) : window.moments());
      }
      Map<String, Object> s = new java.util.HashMap<>();
      s.put("n", window.rows());
      s.put("f", window.firstText());
      s.put("t", window.lastText());
      summaries.put(w.getKey(), s);
    }
  }

  private final Map<String, Map<String, Object>> summaries = new java.util.HashMap<>();
  private final Map<String, Moments> moments = new java.util.HashMap<>();

  /**
   * The {@link Moments} of the rows in {@code where}: from {@link #summarize} when it was among its
   * windows, else from an aggregate over those rows (on one thread, as every sum here).
   */
  Moments moments(String where) throws SQLException {
    Moments m = moments.get(where);
    if (m == null) {
      m =
          Moments.of(
              Duck.row(db, Moments.query(momentColumns(), shifts(), "train_src WHERE " + where)),
              shifts());
      moments.put(where, m);
    }
    return m;
  }

  /**
   * The mean target of the rows in {@code where}: the forecast a quant could make without the model
   * (evaluate's out-of-sample R² measures against it). From the window's {@link Moments} when least
   * squares summed them, else one aggregate on one thread.
   */
  double targetMean(String where) throws SQLException {
    return withMoments ? moments(where).mean()[features.size()] : meanActual(where, null);
  }

  /**
   * The share of the rows in {@code where} in class 1 (above {@code threshold}, or a 0/1 target's
   * ones when it is null): the majority class is the guess a classifier must beat.
   */
  double positiveRate(String where, Double threshold) throws SQLException {
    return meanActual(where, threshold);
  }

  /**
   * The mean of the target as the model is fitted on it ({@link Predictions#actual}), one thread.
   */
  private double meanActual(String where, Double threshold) throws SQLException {
    Object m =
        Duck.row(
                db,
                "SELECT avg("
                    + Predictions.actual(threshold)
                    + ") AS m FROM train_src WHERE "
                    + where)
            .get("m");
    return ((Number) m).doubleValue();
  }

  double median(String where) throws SQLException {
    Object m = Sql.row(db, "SELECT median(__y) AS m FROM train_src WHERE " + where).get("m");
    return ((Number) m).doubleValue();
  }

  /**
   * The ORDER BY that puts rows of {@code train_src} in time order (then symbol), for {@link #load}
   * and a model's predictions; nothing where the input's metadata says its rows, without symbols,
   * are in time order already (ties then stay in file order).
   */
  String orderByTime() {
    return heldInTimeOrder ? "" : " ORDER BY __t" + (symbolColumn == null ? "" : ", __symbol");
  }

  /** The features and target of the rows in {@code where}, in time order, as arrays for Smile. */
  Rows load(String where) throws SQLException {
    return load(where, false);
  }

  /**
   * {@link #load} with each row's time and symbol, to write its prediction under, and its {@code
   * __unchanged} value (NaN where missing).
   */
  Rows loadKeyed(String where) throws SQLException {
    return load(where, true);
  }

  private Rows load(String where, boolean keyed) throws SQLException {
    long rows = count(where);
    int k = features.size();
    String tooBig = tooBig(rows, k, Runtime.getRuntime().maxMemory());
    if (tooBig != null) {
      throw TaskFailure.nonRetryable(tooBig);
    }
    int n = (int) rows;
    double[][] x = new double[n][k];
    double[] y = new double[n];
    long[] t = keyed ? new long[n] : null;
    String[] symbols = keyed ? new String[n] : null;
    boolean withUnchanged = keyed && unchangedColumn != null;
    double[] unchanged = withUnchanged ? new double[n] : null;
    StringBuilder cols = new StringBuilder();
    for (String f : features) {
      cols.append(Sql.ident(f)).append(", ");
    }
    String sql =
        "SELECT "
            + cols
            + "__y"
            + (keyed ? ", __t, " + (symbolColumn == null ? "NULL" : "__symbol") : "")
            + (withUnchanged ? ", __unchanged" : "")
            + " FROM train_src WHERE "
            + where
            + orderByTime();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      for (int i = 0; rs.next(); i++) {
        for (int j = 0; j < k; j++) {
          x[i][j] = rs.getDouble(j + 1);
        }
        y[i] = rs.getDouble(k + 1);
        if (keyed) {
          t[i] = rs.getLong(k + 2);
          symbols[i] = symbolColumn == null ? null : rs.getString(k + 3);
        }
        if (withUnchanged) {
          double v = rs.getDouble(k + 4);
          unchanged[i] = rs.wasNull() ? Double.NaN : v;
        }
      }
    }
    return new Rows(x, y, t, symbols, unchanged);
  }

  /**
   * Why {@code rows} rows of {@code features} features cannot be loaded into a heap of at most
   * {@code heap} bytes, or null when they fit: a clear failure instead of the JVM's
   * OutOfMemoryError halfway through. A row costs its doubles, 16 bytes of array header, its
   * reference and its target; the fit needs room beside them, so they may take 60% of the heap.
   */
  static String tooBig(long rows, int features, long heap) {
    long need = rows * (8L * features + 32);
    if (rows <= Integer.MAX_VALUE && need <= heap * 0.6) {
      return null;
    }
    return String.format(
        java.util.Locale.ROOT,
        "this model is fitted in the JVM, on rows loaded into it: %,d rows of %d features need"
            + " about %.1f GB of heap, and this JVM's heap is at most %.1f GB, with the fit needing"
            + " room beside the rows. Train on fewer rows (a rolling walk_forward window, or a later"
            + " start), or give the JVM more heap, e.g. JAVA_TOOL_OPTIONS=-Xmx%dg"
            + " (linear_regression needs no heap for rows: it sums them in DuckDB)",
        rows,
        features,
        need / 1e9,
        heap / 1e9,
        (long) Math.ceil(need / 0.6 / (1L << 30)) + 1);
  }

  /**
   * Features and target of each row; from {@link #loadKeyed} also its time, symbol (null without a
   * symbol column) and unchanged value (null without a value label), else all three null.
   */
  record Rows(double[][] x, double[] y, long[] t, String[] symbols, double[] unchanged) {
    int size() {
      return y.length;
    }
  }
}
