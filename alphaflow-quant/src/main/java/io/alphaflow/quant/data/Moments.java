package io.alphaflow.quant.data;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What least squares and correlations need from some rows: their count, the mean of every column
 * and the co-moments, the sums of products of deviations from those means (n times the population
 * covariance). Moments of disjoint rows add up ({@link #plus}, Chan et al.'s pairwise update), so
 * one grouped scan can serve every fold of a walk-forward split, and parts of a file scanned side
 * by side add up to the whole.
 */
public record Moments(long n, double[] mean, double[][] comoment) {
  /**
   * The aggregates for {@code columns} (the features' names, then the target's), as SQL select
   * items, aliased so that {@link #of} can read them back: the count, and the sums of the columns'
   * deviations from {@code shifts} and of their products. Shifts near the means keep those sums
   * small, so the co-moments lose little to cancellation (the "shifted data" algorithm); plain sums
   * are several times quicker in DuckDB than its {@code covar_pop}.
   */
  public static List<String> aggregates(List<String> columns, double[] shifts) {
    List<String> out = new ArrayList<>();
    out.add("count(*) AS mn");
    List<String> deviations = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      deviations.add("(" + columns.get(i) + " - " + shifts[i] + ")");
    }
    for (int i = 0; i < columns.size(); i++) {
      out.add("sum" + deviations.get(i) + " AS mm" + i);
      for (int j = i; j < columns.size(); j++) {
        out.add("sum(" + deviations.get(i) + " * " + deviations.get(j) + ") AS mc" + i + "_" + j);
      }
    }
    return out;
  }

  /** The query summing {@link #aggregates} over {@code relation}, for {@link #of} to read. */
  public static String query(List<String> columns, double[] shifts, String relation) {
    return "SELECT " + String.join(", ", aggregates(columns, shifts)) + " FROM " + relation;
  }

  /** The moments of no rows, of {@code size} columns. */
  public static Moments none(int size) {
    return new Moments(0, new double[size], new double[size][size]);
  }

  /** The moments in a row the {@link #aggregates} for the same {@code shifts} made. */
  public static Moments of(Map<String, Object> row, double[] shifts) {
    long n = ((Number) row.get("mn")).longValue();
    int size = shifts.length;
    if (n == 0) {
      return none(size);
    }
    double[] sum = new double[size];
    for (int i = 0; i < size; i++) {
      sum[i] = ((Number) row.get("mm" + i)).doubleValue();
    }
    double[] mean = new double[size];
    double[][] m = new double[size][size];
    for (int i = 0; i < size; i++) {
      mean[i] = shifts[i] + sum[i] / n;
      for (int j = i; j < size; j++) {
        double products = ((Number) row.get("mc" + i + "_" + j)).doubleValue();
        m[i][j] = m[j][i] = products - sum[i] * sum[j] / n;
      }
    }
    return new Moments(n, mean, m);
  }

  /** The moments of this set's rows and {@code o}'s together (the two share no row). */
  public Moments plus(Moments o) {
    if (o.n == 0) {
      return this;
    }
    if (n == 0) {
      return o;
    }
    long total = n + o.n;
    int size = mean.length;
    double[] delta = new double[size];
    double[] merged = new double[size];
    for (int i = 0; i < size; i++) {
      delta[i] = o.mean[i] - mean[i];
      merged[i] = mean[i] + delta[i] * o.n / total;
    }
    double weight = (double) n * o.n / total;
    double[][] m = new double[size][size];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < size; j++) {
        m[i][j] = comoment[i][j] + o.comoment[i][j] + delta[i] * delta[j] * weight;
      }
    }
    return new Moments(total, merged, m);
  }

  /** The population covariance of columns i and j. */
  public double covariance(int i, int j) {
    return comoment[i][j] / n;
  }

  /** Pearson's correlation of columns i and j: NaN when either is constant or there are no rows. */
  public double correlation(int i, int j) {
    return comoment[i][j] / Math.sqrt(comoment[i][i] * comoment[j][j]);
  }

  /**
   * Shifts for {@link #aggregates} (and any sums of deviations): each column's median over the
   * finite values among the first 1,001 rows of {@code relation}, near enough to the means of any
   * of its windows for the sums of products to keep their precision, and, being one of the values,
   * the same whatever order DuckDB reads them in (a mean could differ in its last bit, and with it
   * a model's bytes). 0 for a column with no finite value there. {@code columns} are DOUBLE
   * expressions.
   */
  public static double[] shifts(Connection db, String relation, List<String> columns)
      throws SQLException {
    List<String> medians = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String c = columns.get(i);
      medians.add("quantile_disc(" + c + ", 0.5) FILTER (WHERE isfinite(" + c + ")) AS s" + i);
    }
    Map<String, Object> r =
        Sql.row(
            db,
            "SELECT "
                + String.join(", ", medians)
                + " FROM (SELECT * FROM "
                + relation
                + " LIMIT 1001)");
    double[] out = new double[columns.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.get("s" + i) instanceof Number x ? x.doubleValue() : 0;
    }
    return out;
  }

  /**
   * The moments of {@code columns} over all of {@code relations} (disjoint rows), each summed by a
   * query of its own on one thread, side by side ({@link Duck#parallel}), and merged in the order
   * given: the same bits on any number of threads.
   */
  public static Moments over(
      Connection db, List<String> relations, List<String> columns, double[] shifts)
      throws SQLException {
    List<String> queries = relations.stream().map(r -> query(columns, shifts, r)).toList();
    Moments total = none(columns.size());
    for (List<Map<String, Object>> rows : Duck.parallel(db, queries)) {
      total = total.plus(of(rows.getFirst(), shifts));
    }
    return total;
  }
}
