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

/** Out-of-sample predictions per fold, gathered in the temp table {@code preds}. */
final class Predictions {
  private Predictions() {}

  /**
   * The folds whose models predict in SQL (linear ones), written together by one scan at {@link
   * #flush} instead of one scan per fold; other models predict through the JVM as they are added. A
   * split's test windows do not overlap, so each row belongs to one fold at most.
   */
  static final class Batch {
    private final StringBuilder fold = new StringBuilder();
    private final StringBuilder tested = new StringBuilder();
    private final StringBuilder actual = new StringBuilder();
    private final StringBuilder prediction = new StringBuilder();
    private final List<long[]> windows = new ArrayList<>();

    void add(Connection db, TrainingSet data, Fold f, Model model, Double threshold)
        throws SQLException {
      String sql = model.sql(data.features);
      if (sql == null) {
        predictInJvm(db, data, f, model, threshold);
        return;
      }
      fold.append(" WHEN ").append(f.testWhere()).append(" THEN ").append(f.index());
      tested.append(tested.isEmpty() ? "" : " OR ").append("(").append(f.testWhere()).append(")");
      actual.append(" WHEN ").append(f.index()).append(" THEN ").append(actual(threshold));
      prediction.append(" WHEN ").append(f.index()).append(" THEN ").append(sql);
      windows.add(new long[] {f.testFrom(), f.testTo()});
    }

    void flush(Connection db, TrainingSet data) throws SQLException {
      if (fold.isEmpty()) {
        return;
      }
      Sql.exec(
          db,
          "INSERT INTO preds SELECT __fold, __t, "
              + (data.symbolColumn == null ? "NULL" : "__symbol")
              + ", CASE __fold"
              + actual
              + " END, CASE __fold"
              + prediction
              + " END FROM (SELECT *, CASE"
              + fold
              + " END AS __fold FROM "
              + data.rowsIn(windows)
              + " WHERE "
              + tested
              + ")");
      fold.setLength(0);
      tested.setLength(0);
      actual.setLength(0);
      prediction.setLength(0);
      windows.clear();
    }
  }

  private static String actual(Double threshold) {
    return threshold == null ? "__y" : "CAST(__y > " + threshold + " AS DOUBLE)";
  }

  /** Predicts the fold's test rows through the JVM (models without a SQL form). */
  private static void predictInJvm(
      Connection db, TrainingSet data, Fold fold, Model model, Double threshold)
      throws SQLException {
    TrainingSet.Rows rows = data.load(fold.testWhere());
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

  /**
   * Writes the predictions in time order (then symbol). {@code inTimeOrder}: they were gathered in
   * it already (input rows in time order, without symbols), so no sort is needed (20M rows at
   * 100M).
   */
  static void export(Connection db, String time, String symbol, Path file, boolean inTimeOrder)
      throws SQLException {
    Dataset.writeParquet(
        db,
        "SELECT fold, make_timestamp(__t) AS "
            + Sql.ident(time)
            + (symbol == null ? "" : ", __symbol AS " + Sql.ident(symbol))
            + ", actual, prediction FROM preds"
            + (inTimeOrder ? "" : " ORDER BY __t" + (symbol == null ? "" : ", __symbol")),
        file);
  }
}
