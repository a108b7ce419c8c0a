package io.alphaflow.quant.features;

import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Moments;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features' correlation matrix as pandas' {@code df.corr()} gives it: Pearson's correlation of
 * each pair over the rows where both of the pair are finite (pandas leaves out NaN and infinite
 * values pair by pair). The bulk comes from the {@link Moments} of the rows where every feature is
 * finite, summed in DuckDB; the few rows where only some are (a moving average's first rows) are
 * read back from the written file and added to each pair they count for. Which rows those are, the
 * Parquet footer tells: only row groups whose statistics do not show every feature present and
 * finite are read, so at 10M rows with 5-row means one row group is, not the file.
 */
final class Correlations {
  private Correlations() {}

  /**
   * The matrix of {@code names} (columns of the Parquet {@code file} of {@code rows} rows), given
   * the {@code listwise} moments of its rows where all of them are finite; null where a feature is
   * constant over the pair's rows.
   */
  static Map<String, Map<String, Double>> of(
      Connection db, Path file, long rows, List<String> names, Moments listwise)
      throws SQLException {
    int p = names.size();
    PairSums partial = new PairSums(listwise);
    long expected = rows - listwise.n();
    if (expected > 0) {
      List<long[]> groups = suspectRowGroups(db, file, names);
      long found = partial.add(db, file, names, groups);
      if (found != expected) {
        // the footer missed some (it should not): read every row instead
        partial = new PairSums(listwise);
        partial.add(db, file, names, null);
      }
    }
    Map<String, Map<String, Double>> matrix = new LinkedHashMap<>();
    for (int i = 0; i < p; i++) {
      Map<String, Double> row = new LinkedHashMap<>();
      for (int j = 0; j < p; j++) {
        double r = i == j ? 1.0 : partial.correlation(i, j);
        row.put(names.get(j), Double.isNaN(r) ? null : r);
      }
      matrix.put(names.get(i), row);
    }
    return matrix;
  }

  /**
   * Each of {@code columns} (numeric columns of the rows {@code parts} cover) correlated with
   * {@code target}, as pandas' {@code df.corr()[target]} gives it: Pearson's correlation over the
   * rows where both are finite; null where either is constant over them (the target's own is 1.0).
   *
   * <p>The rows where every column is finite are summed once, the target's sums shared by all
   * columns; the few where some is not (a moving average's first rows) are summed column by column,
   * read from {@code suspect}, the parts that can hold them (null: every part), or from every part
   * when they held fewer than the {@code rows} the first sum left out. Each part is summed on one
   * thread and the parts merged in the order given, so the values are the same bits every run.
   */
  static Map<String, Double> with(
      Connection db,
      List<String> parts,
      List<String> suspect,
      long rows,
      List<String> columns,
      String target)
      throws SQLException {
    int k = columns.size();
    List<String> x = new ArrayList<>();
    StringBuilder finite = new StringBuilder();
    for (int i = 0; i <= k; i++) {
      x.add("CAST(" + Sql.ident(i < k ? columns.get(i) : target) + " AS DOUBLE)");
      finite.append(i == 0 ? "" : " AND ").append("isfinite(").append(x.get(i)).append(")");
    }
    double[] shifts = Moments.shifts(db, parts.getFirst(), x);
    List<String> d = new ArrayList<>(); // deviations from the shifts, c0 .. ck (the target)
    for (int i = 0; i <= k; i++) {
      d.add(x.get(i) + " - " + shifts[i] + " AS c" + i);
    }
    String deviations = "SELECT " + String.join(", ", d) + " FROM ";
    TargetSums total = new TargetSums(k);
    String t = "c" + k;
    List<String> all =
        new ArrayList<>(
            List.of("count(*) AS n", "sum(" + t + ") AS t", "sum(" + t + " * " + t + ") AS tt"));
    for (int i = 0; i < k; i++) {
      all.add("sum(c" + i + ") AS x" + i);
      all.add("sum(c" + i + " * c" + i + ") AS xx" + i);
      all.add("sum(c" + i + " * " + t + ") AS xt" + i);
    }
    String listwise = "SELECT " + String.join(", ", all) + " FROM (" + deviations;
    String allFinite = " WHERE " + finite + ")";
    for (List<Map<String, Object>> part : Duck.parallel(db, each(listwise, parts, allFinite))) {
      total.addListwise(part.getFirst());
    }
    List<String> some = new ArrayList<>(List.of("count(*) AS rows"));
    for (int i = 0; i < k; i++) {
      String both = "CASE WHEN isfinite(c" + i + ") AND isfinite(" + t + ") THEN ";
      some.add("count(" + both + "1 END) AS n" + i);
      some.add("sum(" + both + "c" + i + " END) AS x" + i);
      some.add("sum(" + both + t + " END) AS t" + i);
      some.add("sum(" + both + "c" + i + " * c" + i + " END) AS xx" + i);
      some.add("sum(" + both + t + " * " + t + " END) AS tt" + i);
      some.add("sum(" + both + "c" + i + " * " + t + " END) AS xt" + i);
    }
    String partial = "SELECT " + String.join(", ", some) + " FROM (" + deviations;
    String notAllFinite = " WHERE NOT coalesce(" + finite + ", false))";
    TargetSums rest = new TargetSums(k);
    long expected = rows - total.n;
    if (expected > 0) {
      for (List<Map<String, Object>> part :
          Duck.parallel(db, each(partial, suspect == null ? parts : suspect, notAllFinite))) {
        rest.addPartial(part.getFirst());
      }
      if (rest.rows != expected) {
        rest = new TargetSums(k); // the suspect parts missed some: read every part instead
        for (List<Map<String, Object>> part :
            Duck.parallel(db, each(partial, parts, notAllFinite))) {
          rest.addPartial(part.getFirst());
        }
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      double r = columns.get(i).equals(target) ? 1.0 : total.correlation(i, rest);
      out.put(columns.get(i), Double.isFinite(r) ? r : null);
    }
    return out;
  }

  /** One query per relation: {@code head}, the relation, {@code tail}. */
  private static List<String> each(String head, List<String> relations, String tail) {
    return relations.stream().map(r -> head + r + tail).toList();
  }

  /**
   * Per column, the sums over the rows where it and the target are finite: count, its deviations,
   * the target's, both squared, their product.
   */
  private static final class TargetSums {
    private final double[][] sums;
    private long n; // listwise rows
    private long rows; // rows read by addPartial

    TargetSums(int k) {
      sums = new double[k][6];
    }

    void addListwise(Map<String, Object> r) {
      long m = ((Number) r.get("n")).longValue();
      n += m;
      for (int i = 0; i < sums.length; i++) {
        add(i, m, r.get("x" + i), r.get("t"), r.get("xx" + i), r.get("tt"), r.get("xt" + i));
      }
    }

    void addPartial(Map<String, Object> r) {
      rows += ((Number) r.get("rows")).longValue();
      for (int i = 0; i < sums.length; i++) {
        long m = ((Number) r.get("n" + i)).longValue();
        add(
            i,
            m,
            r.get("x" + i),
            r.get("t" + i),
            r.get("xx" + i),
            r.get("tt" + i),
            r.get("xt" + i));
      }
    }

    private void add(int i, long m, Object... values) {
      sums[i][0] += m;
      for (int s = 0; s < 5; s++) {
        if (values[s] instanceof Number v) {
          sums[i][s + 1] += v.doubleValue();
        }
      }
    }

    /** Column i's correlation with the target over these rows and {@code other}'s. */
    double correlation(int i, TargetSums other) {
      double[] m = new double[6];
      for (int s = 0; s < 6; s++) {
        m[s] = sums[i][s] + other.sums[i][s];
      }
      double count = m[0];
      return (m[5] - m[1] * m[2] / count)
          / Math.sqrt((m[3] - m[1] * m[1] / count) * (m[4] - m[2] * m[2] / count));
    }
  }

  /**
   * The row ranges [from, to) of the row groups whose footer statistics leave open a missing or
   * non-finite value in one of {@code names}: a null count above 0, or a minimum or maximum that is
   * missing (DuckDB writes none for a chunk holding NaN) or not finite.
   */
  static List<long[]> suspectRowGroups(Connection db, Path file, List<String> names)
      throws SQLException {
    StringBuilder columns = new StringBuilder();
    for (String n : names) {
      columns.append(columns.isEmpty() ? "" : ", ").append(Sql.literal(n));
    }
    List<long[]> out = new ArrayList<>();
    long start = 0;
    for (Map<String, Object> g :
        Sql.rows(
            db,
            "SELECT row_group_id AS g, any_value(row_group_num_rows) AS n,"
                + " bool_or((coalesce(stats_null_count, 1) > 0"
                + " OR NOT coalesce(isfinite(TRY_CAST(stats_min_value AS DOUBLE))"
                + " AND isfinite(TRY_CAST(stats_max_value AS DOUBLE)), false))"
                + " AND path_in_schema IN ("
                + columns
                + ")) AS suspect FROM parquet_metadata("
                + Sql.literal(file.toAbsolutePath().toString())
                + ") GROUP BY row_group_id ORDER BY row_group_id")) {
      long n = ((Number) g.get("n")).longValue();
      if (Boolean.TRUE.equals(g.get("suspect"))) {
        if (!out.isEmpty() && out.getLast()[1] == start) {
          out.getLast()[1] = start + n; // the next group too: one range
        } else {
          out.add(new long[] {start, start + n});
        }
      }
      start += n;
    }
    return out;
  }

  /**
   * Per pair of features, the sums over the rows outside the listwise moments where both are
   * finite, as deviations from shifts (the listwise means, else each column's first finite value),
   * merged with the listwise moments when asked for a correlation.
   */
  private static final class PairSums {
    private final Moments listwise;
    private final int p;
    private final double[] shift;
    private final boolean[] shifted;
    private final long[][] n; // rows where both i and j are finite
    private final double[][] sum; // of column i's deviations over those rows
    private final double[][] squares; // of column i's squared deviations over them
    private final double[][] products; // of i's times j's deviations

    PairSums(Moments listwise) {
      this.listwise = listwise;
      this.p = listwise.mean().length;
      this.shift = new double[p];
      this.shifted = new boolean[p];
      if (listwise.n() > 0) {
        System.arraycopy(listwise.mean(), 0, shift, 0, p);
        java.util.Arrays.fill(shifted, true);
      }
      n = new long[p][p];
      sum = new double[p][p];
      squares = new double[p][p];
      products = new double[p][p];
    }

    /**
     * Adds the rows of {@code file} in {@code ranges} (every row when null) where some feature is
     * missing or not finite, in file order; returns how many there were.
     */
    long add(Connection db, Path file, List<String> names, List<long[]> ranges)
        throws SQLException {
      if (ranges != null && ranges.isEmpty()) {
        return 0;
      }
      StringBuilder select = new StringBuilder();
      StringBuilder finite = new StringBuilder();
      for (int i = 0; i < p; i++) {
        String cast = "CAST(" + Sql.ident(names.get(i)) + " AS DOUBLE)";
        select.append(cast).append(" AS c").append(i).append(", ");
        finite.append(i == 0 ? "" : " AND ").append("isfinite(c").append(i).append(")");
      }
      StringBuilder where = new StringBuilder();
      if (ranges != null) {
        for (long[] r : ranges) {
          where
              .append(where.isEmpty() ? " WHERE " : " OR ")
              .append("(file_row_number >= ")
              .append(r[0])
              .append(" AND file_row_number < ")
              .append(r[1])
              .append(")");
        }
      }
      String sql =
          "SELECT * EXCLUDE (r) FROM (SELECT "
              + select
              + "file_row_number AS r FROM read_parquet("
              + Sql.literal(file.toAbsolutePath().toString())
              + ", file_row_number = true)"
              + where
              + ") WHERE NOT coalesce("
              + finite
              + ", false) ORDER BY r";
      long rows = 0;
      double[] v = new double[p];
      try (Statement s = db.createStatement();
          ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          for (int i = 0; i < p; i++) {
            double x = rs.getDouble(i + 1);
            v[i] = rs.wasNull() ? Double.NaN : x;
          }
          add(v);
          rows++;
        }
      }
      return rows;
    }

    private void add(double[] v) {
      for (int i = 0; i < p; i++) {
        if (Double.isFinite(v[i]) && !shifted[i]) {
          shift[i] = v[i];
          shifted[i] = true;
        }
      }
      for (int i = 0; i < p; i++) {
        if (!Double.isFinite(v[i])) {
          continue;
        }
        double di = v[i] - shift[i];
        for (int j = 0; j < p; j++) {
          if (j == i || !Double.isFinite(v[j])) {
            continue;
          }
          n[i][j]++;
          sum[i][j] += di;
          squares[i][j] += di * di;
          products[i][j] += di * (v[j] - shift[j]);
        }
      }
    }

    /**
     * Pearson's correlation of features i and j over the listwise rows and the added rows where
     * both are finite: their co-moments merged as in {@link Moments#plus}.
     */
    double correlation(int i, int j) {
      long m = n[i][j];
      if (m == 0) {
        return listwise.correlation(i, j);
      }
      double meanI = shift[i] + sum[i][j] / m;
      double meanJ = shift[j] + sum[j][i] / m;
      double cii = squares[i][j] - sum[i][j] * sum[i][j] / m;
      double cjj = squares[j][i] - sum[j][i] * sum[j][i] / m;
      double cij = products[i][j] - sum[i][j] * sum[j][i] / m;
      long l = listwise.n();
      if (l > 0) {
        double dI = meanI - listwise.mean()[i];
        double dJ = meanJ - listwise.mean()[j];
        double w = (double) l * m / (l + m);
        double[][] c = listwise.comoment();
        cii += c[i][i] + dI * dI * w;
        cjj += c[j][j] + dJ * dJ * w;
        cij += c[i][j] + dI * dJ * w;
      }
      return cij / Math.sqrt(cii * cjj);
    }
  }
}
