package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Out-of-sample predictions per fold, written to {@code predictions.parquet}: fold, time (then
 * symbol), actual and prediction, and for a value label {@code unchanged} (the column's value at
 * the row's own time: evaluate's no-change forecast), in time order (then symbol).
 */
final class Predictions {
  private Predictions() {}

  /**
   * The folds' predictions. Models with a SQL form (linear and logistic) predict in SQL: their
   * folds are written together, by one scan of the rows their tests cover straight to the file,
   * instead of one scan per fold. Other models predict through the JVM as they are added, into the
   * temp table {@code preds}. A split's test windows do not overlap, so each row belongs to one
   * fold at most.
   */
  static final class Batch {
    private final StringBuilder fold = new StringBuilder();
    private final StringBuilder tested = new StringBuilder();
    private final StringBuilder actual = new StringBuilder();
    private final StringBuilder prediction = new StringBuilder();
    private final List<long[]> windows = new ArrayList<>();
    private boolean inJvm;

    void add(Connection db, TrainingSet data, Fold f, Model model, Double threshold)
        throws SQLException {
      String sql = model.sql(data.features);
      if (sql == null) {
        if (!inJvm) {
          Sql.exec(
              db,
              "CREATE TEMP TABLE preds (fold INTEGER, __t BIGINT, __symbol VARCHAR, actual DOUBLE,"
                  + " prediction DOUBLE, __unchanged DOUBLE)");
          inJvm = true;
        }
        predictInJvm(db, data, f, model, threshold);
        return;
      }
      fold.append(" WHEN ").append(f.testWhere()).append(" THEN ").append(f.index());
      tested.append(tested.isEmpty() ? "" : " OR ").append("(").append(f.testWhere()).append(")");
      actual.append(" WHEN ").append(f.index()).append(" THEN ").append(actual(threshold));
      prediction.append(" WHEN ").append(f.index()).append(" THEN ").append(sql);
      windows.add(new long[] {f.testFrom(), f.testTo()});
    }

    /**
     * Writes every fold's predictions to {@code file}, in time order ({@link
     * TrainingSet#orderByTime}: input rows held in time order give predictions in it, since the
     * folds' test windows follow each other, with no sort of 20M rows at 100M).
     */
    void write(Connection db, TrainingSet data, String time, Path file) throws SQLException {
      String symbol = data.symbolColumn;
      String rows;
      if (inJvm) {
        if (!fold.isEmpty()) {
          throw new IllegalStateException("one split's folds predict in SQL and in the JVM");
        }
        rows = "preds";
      } else {
        rows =
            "(SELECT __fold AS fold, __t, "
                + (symbol == null ? "NULL" : "__symbol")
                + " AS __symbol, CASE __fold"
                + actual
                + " END AS actual, CASE __fold"
                + prediction
                + " END AS prediction"
                + (data.unchangedColumn == null ? "" : ", __unchanged")
                + " FROM (SELECT *, CASE"
                + fold
                + " END AS __fold FROM "
                + data.rowsIn(windows)
                + " WHERE "
                + tested
                + "))";
      }
      Dataset.writeParquet(
          db,
          "SELECT fold, make_timestamp(__t) AS "
              + Sql.ident(time)
              + (symbol == null ? "" : ", __symbol AS " + Sql.ident(symbol))
              + ", actual, prediction"
              + (data.unchangedColumn == null ? "" : ", __unchanged AS unchanged")
              + " FROM "
              + rows
              + data.orderByTime(),
          file);
    }
  }

  /** The target as a model is fitted on it: as is, or its class above {@code threshold}. */
  static String actual(Double threshold) {
    return threshold == null ? "__y" : "CAST(__y > " + threshold + " AS DOUBLE)";
  }

  /** Predicts the fold's test rows through the JVM (models without a SQL form). */
  private static void predictInJvm(
      Connection db, TrainingSet data, Fold fold, Model model, Double threshold)
      throws SQLException {
    TrainingSet.Rows rows = data.loadKeyed(fold.testWhere());
    double[] p = model.predict(rows.x());
    try (DuckDBAppender app =
        db.unwrap(DuckDBConnection.class)
            .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "preds")) {
      for (int i = 0; i < p.length; i++) {
        app.beginRow();
        app.append(fold.index());
        app.append(rows.t()[i]);
        app.append(rows.symbols()[i]);
        app.append(threshold == null ? rows.y()[i] : (rows.y()[i] > threshold ? 1.0 : 0.0));
        app.append(p[i]);
        if (rows.unchanged() == null || Double.isNaN(rows.unchanged()[i])) {
          app.appendNull();
        } else {
          app.append(rows.unchanged()[i]);
        }
        app.endRow();
      }
    }
  }

  /** Unstable training shows as NaN or infinite predictions: retryable, with another seed. */
  static void checkFinite(Connection db, Path file, long seed) throws SQLException {
    long bad =
        Sql.count(
            db,
            "(SELECT 1 FROM read_parquet("
                + Sql.literal(file.toAbsolutePath().toString())
                + ") WHERE NOT isfinite(prediction))");
    if (bad > 0) {
      throw TaskFailure.retryable(
          "training was unstable with seed "
              + seed
              + ": "
              + bad
              + " predictions are NaN or infinite (a retry uses fallback_seed if set)");
    }
  }
}
