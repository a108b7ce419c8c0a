package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Out-of-sample predictions per fold, gathered in the temp table {@code preds}. */
final class Predictions {
  private Predictions() {}

  /** Predicts the fold's test rows: in SQL for linear models, else through the JVM. */
  static void write(Connection db, TrainingSet data, Fold fold, Model model, Double threshold)
      throws SQLException {
    String actual = threshold == null ? "__y" : "CAST(__y > " + threshold + " AS DOUBLE)";
    String sql = model.sql(data.features);
    String symbol = data.symbolColumn == null ? "NULL" : "__symbol";
    if (sql != null) {
      Sql.exec(
          db,
          "INSERT INTO preds SELECT "
              + fold.index()
              + ", __t, "
              + symbol
              + ", "
              + actual
              + ", "
              + sql
              + " FROM train_src WHERE "
              + fold.testWhere());
      return;
    }
    TrainingSet.Rows rows = data.load(fold.testWhere());
    double[] p = model.predict(rows.x());
    try (DuckDBAppender app =
        db.unwrap(DuckDBConnection.class)
            .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "preds")) {
      for (int i = 0; i < p.length; i++) {
        app.beginRow();
        app.append(fold.index());
        app.append(rows.t()[i]);
        app.append((String) null);
        app.append(threshold == null ? rows.y()[i] : (rows.y()[i] > threshold ? 1.0 : 0.0));
        app.append(p[i]);
        app.endRow();
      }
    }
  }

  /** Unstable training shows as NaN or infinite predictions: retryable, with another seed. */
  static void checkFinite(Connection db, long seed) throws SQLException {
    long bad =
        ((Number)
                Sql.row(db, "SELECT count(*) AS n FROM preds WHERE NOT isfinite(prediction)")
                    .get("n"))
            .longValue();
    if (bad > 0) {
      throw TaskFailure.retryable(
          "training was unstable with seed "
              + seed
              + ": "
              + bad
              + " predictions are NaN or infinite (a retry uses fallback_seed if set)");
    }
  }

  static void export(Connection db, String time, String symbol, Path file) throws SQLException {
    Dataset.writeParquet(
        db,
        "SELECT fold, make_timestamp(__t) AS "
            + Sql.ident(time)
            + (symbol == null ? "" : ", __symbol AS " + Sql.ident(symbol))
            + ", actual, prediction FROM preds ORDER BY __t"
            + (symbol == null ? "" : ", __symbol"),
        file);
  }
}
