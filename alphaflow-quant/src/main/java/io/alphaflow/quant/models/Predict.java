package io.alphaflow.quant.models;

import io.alphaflow.quant.data.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A model's predictions beside the rows of a relation, as a view (not a temporary one: the
 * connections {@link io.alphaflow.quant.data.Duck#parallel} opens see it too).
 */
final class Predict {
  private Predict() {}

  /**
   * Creates the view {@code name}: every column of {@code src} and {@code prediction}, NULL where a
   * feature is missing or not finite, in {@code src}'s row order. A model with a SQL form (linear,
   * logistic) is computed in DuckDB; the others through Smile, on the rows loaded into the JVM.
   */
  static void view(Connection db, Model model, List<String> features, String src, String name)
      throws SQLException {
    StringBuilder complete = new StringBuilder("TRUE");
    for (String f : features) {
      complete.append(" AND isfinite(CAST(").append(Sql.ident(f)).append(" AS DOUBLE))");
    }
    String sql = model.sql(features);
    if (sql != null) {
      Sql.exec(
          db,
          "CREATE OR REPLACE VIEW "
              + name
              + " AS SELECT *, CASE WHEN "
              + complete
              + " THEN "
              + sql
              + " END AS prediction FROM "
              + src);
      return;
    }
    String rows = name + "_rows";
    String preds = name + "_preds";
    Sql.exec(
        db,
        "CREATE OR REPLACE TABLE "
            + rows
            + " AS SELECT row_number() OVER () AS __row, * FROM "
            + src);
    Sql.exec(db, "CREATE OR REPLACE TABLE " + preds + " (__row BIGINT, prediction DOUBLE)");
    StringBuilder cols = new StringBuilder();
    for (String f : features) {
      cols.append(", CAST(").append(Sql.ident(f)).append(" AS DOUBLE)");
    }
    List<double[]> xs = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    try (var st = db.createStatement();
        var rs = st.executeQuery("SELECT __row" + cols + " FROM " + rows + " WHERE " + complete)) {
      while (rs.next()) {
        double[] x = new double[features.size()];
        for (int j = 0; j < x.length; j++) {
          x[j] = rs.getDouble(j + 2);
        }
        ids.add(rs.getLong(1));
        xs.add(x);
      }
    }
    double[] p = model.predict(xs.toArray(double[][]::new));
    try (DuckDBAppender app =
        db.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, preds)) {
      for (int i = 0; i < p.length; i++) {
        app.beginRow();
        app.append(ids.get(i));
        app.append(p[i]);
        app.endRow();
      }
    }
    Sql.exec(
        db,
        "CREATE OR REPLACE VIEW "
            + name
            + " AS SELECT r.* EXCLUDE (__row), p.prediction FROM "
            + rows
            + " r LEFT JOIN "
            + preds
            + " p USING (__row) ORDER BY r.__row");
  }
}
