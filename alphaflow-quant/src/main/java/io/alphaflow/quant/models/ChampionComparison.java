package io.alphaflow.quant.models;

import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A candidate and the current champion scored on the same rows, for {@code promote}'s gates
 * relative to the champion ({@code compare_on}). Each model's stored metrics come from its own test
 * window, months apart and in another market regime; these come from rows neither model was fitted
 * on: the candidate's out-of-sample predictions (kept with its version by {@code register}) that
 * come after the champion's training window ends, and the champion's predictions on the same rows
 * of the data, both scored against the candidate's actuals as evaluate scores ({@link Metrics}).
 *
 * <p>When the two cannot be compared on such rows (a champion trained past every prediction;
 * another target or kind; features the data lacks; a version registered without its predictions),
 * the result says why and the gates fall back to the stored metrics.
 */
record ChampionComparison(
    String reason,
    Map<String, Object> window,
    long rows,
    Map<String, Object> candidate,
    Map<String, Object> champion) {

  /** Whether the two were scored on the same rows. */
  boolean sameRows() {
    return reason == null;
  }

  private static ChampionComparison notComparable(String reason) {
    return new ChampionComparison(reason, null, 0, null, null);
  }

  /** For the deployment manifest. */
  Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!sameRows()) {
      out.put("basis", "each model's stored metrics (its own test window)");
      out.put("why", reason);
      return out;
    }
    out.put("basis", "the same rows");
    out.put("window", window);
    out.put("rows", rows);
    out.put("candidate", candidate);
    out.put("champion", champion);
    return out;
  }

  static ChampionComparison of(Connection db, Path data, ModelVersion cand, ModelVersion champ)
      throws SQLException {
    Path candDir = Path.of(cand.path());
    Path champDir = Path.of(champ.path());
    Map<String, Object> a = ModelFiles.json(candDir, TrainTask.MODEL_JSON);
    Map<String, Object> b = ModelFiles.json(champDir, TrainTask.MODEL_JSON);
    String unlike = ModelVersion.predictsOtherwise(a, "the candidate", b, "the champion");
    if (unlike != null) {
      return notComparable(unlike);
    }
    String time = String.valueOf(a.get("time_column"));
    if (!time.equals(String.valueOf(b.get("time_column")))) {
      return notComparable(
          "the candidate's time column is " + time + ", the champion's " + b.get("time_column"));
    }
    Path predictions = candDir.resolve(TrainTask.PREDICTIONS_FILE);
    if (!Files.isRegularFile(predictions)) {
      return notComparable(
          "version "
              + cand.shortVersion()
              + " was registered without its out-of-sample predictions (before register kept"
              + " them)");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> champTrained = (Map<String, Object>) b.get("training_window");
    String champEnd = String.valueOf(champTrained.get("to"));
    String symbol = (String) a.get("symbol_column");
    String src = Dataset.scan(Dataset.resolve(data.toString()));
    Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + src);
    List<String> champFeatures = strings(b.get("features"));
    Set<String> needed = new LinkedHashSet<>(champFeatures);
    needed.add(time);
    if (symbol != null) {
      needed.add(symbol);
    }
    List<String> missing = new ArrayList<>(needed);
    missing.removeAll(columns.keySet());
    if (!missing.isEmpty()) {
      return notComparable(data + " lacks " + String.join(", ", missing));
    }
    String t = Sql.ident(time);
    // the candidate's out-of-sample predictions after the champion's training window ends, each
    // beside its row of the data, where the champion's features are
    String candidateRows =
        "(SELECT * FROM read_parquet("
            + Sql.literal(predictions.toAbsolutePath().toString())
            + ") WHERE "
            + t
            + " > CAST("
            + Sql.literal(champEnd)
            + " AS TIMESTAMP))";
    String on =
        "CAST(d."
            + t
            + " AS TIMESTAMP) = c."
            + t
            + (symbol == null
                ? ""
                : " AND CAST(d."
                    + Sql.ident(symbol)
                    + " AS VARCHAR) = CAST(c."
                    + Sql.ident(symbol)
                    + " AS VARCHAR)");
    boolean classification = "classification".equals(a.get("kind"));
    // a value label's current value beside the candidate's predictions: both models' hit rate and
    // IC then score changes from it, as evaluate does
    boolean changes =
        !classification
            && Sql.columns(db, "SELECT * FROM " + candidateRows).containsKey(Benchmarks.UNCHANGED);
    Sql.exec(
        db,
        "CREATE OR REPLACE VIEW cmp_rows AS SELECT d.*, c.actual AS __actual, c.prediction AS"
            + " __candidate"
            + (changes ? ", c." + Benchmarks.UNCHANGED + " AS __unchanged" : "")
            + " FROM "
            + candidateRows
            + " c JOIN "
            + src
            + " d ON "
            + on);
    long candidates = Sql.count(db, candidateRows);
    long joined = Sql.count(db, "cmp_rows");
    if (joined > candidates) {
      return notComparable(
          data
              + " holds several rows per "
              + (symbol == null ? time : time + " and " + symbol)
              + ", so its rows cannot be matched to the candidate's predictions");
    }
    Predict.view(db, ModelFiles.load(champDir), champFeatures, "cmp_rows", "cmp_b");
    Map<String, Object> span =
        Sql.row(
            db,
            "SELECT count(*) AS n, CAST(min("
                + t
                + ") AS VARCHAR) AS f, CAST(max("
                + t
                + ") AS VARCHAR) AS l FROM cmp_b WHERE prediction IS NOT NULL");
    long rows = ((Number) span.get("n")).longValue();
    if (rows < 2) {
      return notComparable(
          "none of the candidate's out-of-sample predictions come after the champion's training"
              + " window ends ("
              + champEnd
              + ") on rows where the champion has every feature");
    }
    Map<String, Object> window = Json.ordered("from", span.get("f"), "to", span.get("l"));
    String period = period(candDir);
    int lags = overlapLags(candDir);
    String at = "CAST(" + t + " AS TIMESTAMP)";
    Map<String, Object> candidate =
        score(db, "__candidate", at, period, lags, classification, changes);
    Map<String, Object> champion =
        score(db, "prediction", at, period, lags, classification, changes);
    return new ChampionComparison(null, window, rows, candidate, champion);
  }

  /**
   * One model's metrics over the rows both predicted, against the candidate's actuals: the view
   * {@code p} Metrics reads.
   */
  private static Map<String, Object> score(
      Connection db,
      String prediction,
      String time,
      String period,
      int lags,
      boolean classification,
      boolean changes)
      throws SQLException {
    Sql.exec(
        db,
        "CREATE OR REPLACE VIEW p AS SELECT __actual AS actual, "
            + prediction
            + " AS prediction, "
            + (changes ? "__unchanged AS " + Benchmarks.UNCHANGED + ", " : "")
            + "date_trunc('"
            + period
            + "', "
            + time
            + ") AS period, "
            + time
            + " AS __t FROM cmp_b WHERE prediction IS NOT NULL");
    Map<String, Object> metrics =
        classification ? Metrics.classification(db, "TRUE") : Metrics.regression(db, "TRUE", lags);
    metrics.remove(Metrics.IC_BY_PERIOD); // the manifest compares figures, not series
    return metrics;
  }

  /** The IC period the candidate's evaluation used (a day when it has none). */
  private static String period(Path dir) {
    Path metrics = dir.resolve(EvaluateTask.METRICS_FILE);
    if (Files.isRegularFile(metrics)) {
      Object p = ModelFiles.json(dir, EvaluateTask.METRICS_FILE).get("ic_period");
      if (p != null && EvaluateTask.PERIODS.contains(String.valueOf(p))) {
        return String.valueOf(p);
      }
    }
    return "day";
  }

  /**
   * The overlap of the labels' periods the candidate's evaluation found ({@link
   * EvaluateTask#IC_OVERLAP_LAGS}): both models are scored on its rows and periods. None when it
   * recorded none.
   */
  private static int overlapLags(Path dir) {
    if (Files.isRegularFile(dir.resolve(EvaluateTask.METRICS_FILE))
        && ModelFiles.json(dir, EvaluateTask.METRICS_FILE).get(EvaluateTask.IC_OVERLAP_LAGS)
            instanceof Number n) {
      return n.intValue();
    }
    return 0;
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    if (list instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }
}
