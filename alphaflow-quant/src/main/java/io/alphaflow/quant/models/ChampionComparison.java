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
 * window, months apart and in another market regime; these come from the rows neither model was
 * fitted on: the candidate's last test window, after the champion's training window ends. Both are
 * scored there from the same data and their metrics computed as evaluate computes them ({@link
 * Metrics}).
 *
 * <p>When the two cannot be compared on such rows (a candidate refitted on every row has no test
 * window; a champion trained past it; another target or kind; features the data lacks), the result
 * says why and the gates fall back to the stored metrics.
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
    if (!String.valueOf(a.get("kind")).equals(String.valueOf(b.get("kind")))) {
      return notComparable(
          "the candidate is a " + a.get("kind") + " model, the champion a " + b.get("kind"));
    }
    if (!String.valueOf(a.get("target")).equals(String.valueOf(b.get("target")))) {
      return notComparable(
          "the candidate predicts " + a.get("target") + ", the champion " + b.get("target"));
    }
    String time = String.valueOf(a.get("time_column"));
    if (!time.equals(String.valueOf(b.get("time_column")))) {
      return notComparable(
          "the candidate's time column is " + time + ", the champion's " + b.get("time_column"));
    }
    if (a.get("split") instanceof Map<?, ?> split
        && Boolean.TRUE.equals(split.get("refit_on_all_rows"))) {
      return notComparable(
          "the candidate was refitted on every row, so no rows are out of its sample");
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> folds = (List<Map<String, Object>>) a.get("folds");
    @SuppressWarnings("unchecked")
    Map<String, Object> test = (Map<String, Object>) folds.getLast().get("test");
    @SuppressWarnings("unchecked")
    Map<String, Object> champTrained = (Map<String, Object>) b.get("training_window");
    String from = String.valueOf(test.get("from"));
    String to = String.valueOf(test.get("to"));
    String champEnd = String.valueOf(champTrained.get("to"));
    String src = Dataset.scan(Dataset.resolve(data.toString()));
    Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + src);
    List<String> candFeatures = strings(a.get("features"));
    List<String> champFeatures = strings(b.get("features"));
    Set<String> needed = new LinkedHashSet<>(candFeatures);
    needed.addAll(champFeatures);
    needed.add(String.valueOf(a.get("target")));
    needed.add(time);
    List<String> missing = new ArrayList<>(needed);
    missing.removeAll(columns.keySet());
    if (!missing.isEmpty()) {
      return notComparable(data + " lacks " + String.join(", ", missing));
    }
    String t = "CAST(" + Sql.ident(time) + " AS TIMESTAMP)";
    String target = "CAST(" + Sql.ident(String.valueOf(a.get("target"))) + " AS DOUBLE)";
    Sql.exec(
        db,
        "CREATE OR REPLACE VIEW cmp_rows AS SELECT * FROM "
            + src
            + " WHERE "
            + t
            + " BETWEEN CAST("
            + Sql.literal(from)
            + " AS TIMESTAMP) AND CAST("
            + Sql.literal(to)
            + " AS TIMESTAMP) AND "
            + t
            + " > CAST("
            + Sql.literal(champEnd)
            + " AS TIMESTAMP) AND isfinite("
            + target
            + ")");
    Predict.view(db, ModelFiles.load(candDir), candFeatures, "cmp_rows", "cmp_a");
    Predict.view(
        db,
        ModelFiles.load(champDir),
        champFeatures,
        "(SELECT * EXCLUDE (prediction), prediction AS __candidate FROM cmp_a)",
        "cmp_b");
    Object threshold = a.get("threshold"); // the candidate's classes, for both
    String actual =
        threshold instanceof Number n
            ? "CAST(" + target + " > " + n.doubleValue() + " AS INTEGER)"
            : target;
    long rows =
        ((Number)
                Sql.row(
                        db,
                        "SELECT count(*) AS n FROM cmp_b WHERE __candidate IS NOT NULL"
                            + " AND prediction IS NOT NULL")
                    .get("n"))
            .longValue();
    Map<String, Object> window = Json.ordered("from", from, "to", to);
    if (champEnd.compareTo(from) >= 0) {
      window.put("after_champion_training_ends", champEnd);
    }
    if (rows < 2) {
      return notComparable(
          "no rows of the candidate's test window ("
              + from
              + " to "
              + to
              + ") come after the champion's training window ends ("
              + champEnd
              + ") with every feature of both models");
    }
    String period = period(candDir);
    boolean classification = "classification".equals(a.get("kind"));
    Map<String, Object> candidate = score(db, "__candidate", actual, t, period, classification);
    Map<String, Object> champion = score(db, "prediction", actual, t, period, classification);
    return new ChampionComparison(null, window, rows, candidate, champion);
  }

  /** One model's metrics over the rows both predicted: the view {@code p} Metrics reads. */
  private static Map<String, Object> score(
      Connection db,
      String prediction,
      String actual,
      String time,
      String period,
      boolean classification)
      throws SQLException {
    Sql.exec(
        db,
        "CREATE OR REPLACE VIEW p AS SELECT "
            + actual
            + " AS actual, "
            + prediction
            + " AS prediction, date_trunc('"
            + period
            + "', "
            + time
            + ") AS period, "
            + time
            + " AS __t FROM cmp_b WHERE __candidate IS NOT NULL AND prediction IS NOT NULL");
    return classification ? Metrics.classification(db, "TRUE") : Metrics.regression(db, "TRUE");
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

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    if (list instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    }
    return out;
  }
}
