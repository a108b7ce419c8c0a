package io.alphaflow.quant.labels;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.RowOrder;
import io.alphaflow.quant.data.Sql;
import io.alphaflow.quant.features.Feature;
import io.alphaflow.quant.features.FeaturesTask;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Type {@code label}: a forward-looking target per row: {@code forward_return} (the return from t
 * to t+horizon), {@code direction} (1 if that return is positive), {@code above_median} (1 if it is
 * above the median of all forward returns, with the return itself in {@code <name>_value}, which
 * {@code train} splits at each training window's median instead) or {@code value} (the column at
 * t+horizon). A label at t uses only rows after t (horizon 0 means the current value, for
 * nowcasts). Rows without enough future are dropped. Leakage guard: a feature that reads the
 * label's column at or after the label's time is an error naming the feature, found when the flow
 * is loaded (from the upstream features task's config) and again at run time (from its
 * feature_metadata.json).
 */
public final class LabelTask implements QuantTask {
  static final List<String> KINDS = List.of("forward_return", "direction", "above_median", "value");

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys(
        "input", "column", "kind", "horizon", "name", "time_column", "symbol_column");
  }

  @Override
  public String type() {
    return "label";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(Configs.required(config, "input", "input: ${tasks.features.output_dir}"));
    problems.addAll(Configs.required(config, "column", "column: close"));
    Object kind = config.getOrDefault("kind", "forward_return");
    problems.addAll(
        Configs.oneOf("kind", "label kind", kind, KINDS, "use one of " + String.join(", ", KINDS)));
    Object h = config.getOrDefault("horizon", 1);
    String why =
        Configs.resolvesLater(h)
            ? null
            : horizonProblem(Configs.resolvesLater(kind) ? null : kind, h);
    if (why != null) {
      problems.add(new ConfigProblem("horizon", why, HORIZON_HINT));
    }
    return problems;
  }

  @Override
  public List<ConfigProblem> validateInFlow(TaskSpec self, List<TaskSpec> upstream) {
    String column = String.valueOf(self.config().get("column"));
    Object h = self.config().getOrDefault("horizon", 1);
    if (!Configs.resolvesLater(h) && horizonProblem(null, h) != null) {
      return List.of(); // reported by validate
    }
    // a horizon a template gives is 1 or more, or 0: the rows from t+1 on leak either way, and the
    // run checks t+0 too once it knows
    int horizon = Configs.resolvesLater(h) ? 1 : Configs.whole(h).intValue();
    String name = String.valueOf(self.config().getOrDefault("name", "label"));
    List<ConfigProblem> problems = new ArrayList<>();
    for (TaskSpec t : upstream) {
      if (!t.type().equals("features")) {
        continue;
      }
      List<Feature> features;
      try {
        features = FeaturesTask.asRead(t.config());
      } catch (IllegalArgumentException e) {
        continue; // reported on that task
      }
      for (String leak : LeakageGuard.leaks(features, column, start(horizon), name)) {
        problems.add(
            new ConfigProblem(
                "column",
                "leakage from task '" + t.id() + "': " + leak,
                LeakageGuard.hint(horizon)));
      }
    }
    return problems;
  }

  private static final String HORIZON_HINT =
      "a label uses rows after t: horizon >= 1 (0 only with kind: value)";

  /**
   * Why {@code h} is no horizon for a label of {@code kind} (null: not known yet), or null when it
   * is one: a whole number of rows ahead, 0 only for the value itself.
   */
  private static String horizonProblem(Object kind, Object h) {
    Long horizon = Configs.whole(h);
    if (horizon == null) {
      return "horizon must be a whole number of rows, was '" + h + "'";
    }
    if (horizon < 0
        || horizon > Integer.MAX_VALUE
        || (horizon == 0 && kind != null && !kind.equals("value"))) {
      return "horizon " + h + " does not look forward";
    }
    return null;
  }

  /** The first row offset whose value the label reveals. */
  static int start(int horizon) {
    return horizon == 0 ? 0 : 1;
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    Path input = Dataset.resolve(Configs.string(cfg, "input"));
    String column = Configs.string(cfg, "column");
    String kind = Configs.string(cfg, "kind", "forward_return");
    int horizon = (int) Configs.integer(cfg, "horizon", 1);
    String name = Configs.string(cfg, "name", "label");
    Map<String, Object> featureMeta = Dataset.metadata(input, FeaturesTask.METADATA_FILE);
    checkLeakage(featureMeta, column, horizon, name);
    try (Connection db = Duck.open(cfg)) {
      String src = Dataset.scan(input);
      Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + src);
      String ts = Configs.string(cfg, "time_column", (String) featureMeta.get("time_column"));
      String symbol =
          Configs.string(cfg, "symbol_column", (String) featureMeta.get("symbol_column"));
      Configs.requireColumns(
          columns, input.toString(), "column", column, "time_column", ts, "symbol_column", symbol);
      String valueColumn = kind.equals("above_median") ? name + "_value" : null;
      for (String taken : new String[] {name, valueColumn}) {
        if (taken != null && columns.containsKey(taken)) {
          throw TaskFailure.nonRetryable(
              "the input already has a column '" + taken + "': set name to another label name");
        }
      }
      String c = Sql.ident(column);
      RowOrder order = ts == null ? null : new RowOrder(symbol, ts);
      boolean streaming = order != null && order.heldBy(input);
      // the label is written row for row beside its input's rows (Dataset.ADDS_COLUMNS_TO), so
      // every plan keeps the input's row order: the streaming lead() reads it as it comes, the
      // sorted window carries each row's position (__row) and is written back in that order
      List<String> needed = new ArrayList<>(List.of(c));
      if (symbol != null) {
        needed.add(Sql.ident(symbol));
      }
      String future;
      String base;
      if (streaming) {
        future = order.sameSymbol(horizon, RowOrder.shift(c, horizon));
        base = "(SELECT " + String.join(", ", needed) + " FROM " + src + ")";
      } else {
        if (ts != null) {
          needed.add(Sql.ident(ts));
        }
        String partition = symbol == null ? "" : "PARTITION BY " + Sql.ident(symbol) + " ";
        String timeKey = ts == null ? "__row" : Sql.ident(ts);
        future =
            "lead(" + c + ", " + horizon + ") OVER (" + partition + "ORDER BY " + timeKey + ")";
        base =
            "(SELECT "
                + String.join(", ", needed)
                + ", row_number() OVER () AS __row FROM "
                + src
                + ")";
      }
      String target =
          kind.equals("value")
              ? (horizon == 0 ? c : future)
              : "(" + future + ") / nullif(" + c + ", 0) - 1";
      // streaming: a view, read once by the write (and once more for above_median's median);
      // sorted: a table, so the sort happens once
      Sql.exec(
          db,
          "CREATE TEMP "
              + (streaming ? "VIEW" : "TABLE")
              + " labelled AS SELECT *, "
              + target
              + " AS __target FROM "
              + base);
      Double median = null;
      String label =
          switch (kind) {
            case "direction" -> "CAST(__target > 0 AS INTEGER)";
            case "above_median" -> {
              median =
                  ((Number) Sql.row(db, "SELECT median(__target) AS m FROM labelled").get("m"))
                      .doubleValue();
              yield "CAST(__target > " + median + " AS INTEGER)";
            }
            default -> "__target";
          };
      Path out = ctx.outputDir().resolve(Dataset.DATA_FILE);
      // every row, a NULL label where there is no future (row i of the file is row i of the input)
      Dataset.writeParquet(
          db,
          "SELECT "
              + label
              + " AS "
              + Sql.ident(name)
              + (valueColumn == null ? "" : ", __target AS " + Sql.ident(valueColumn))
              + " FROM labelled"
              + (streaming ? "" : " ORDER BY __row"),
          out);
      long total = Dataset.rows(db, out); // every input row, counted in the file's footer
      long kept =
          Sql.count(
              db,
              "read_parquet("
                  + Sql.literal(out.toAbsolutePath().toString())
                  + ") WHERE "
                  + Sql.ident(name)
                  + " IS NOT NULL");
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("input", input.toAbsolutePath().toString());
      meta.put(Dataset.ADDS_COLUMNS_TO, Dataset.addsColumnsTo(input, total));
      Map<String, Object> labelMeta = new LinkedHashMap<>();
      labelMeta.put("name", name);
      labelMeta.put("kind", kind);
      labelMeta.put("column", column);
      labelMeta.put("horizon", horizon);
      if (valueColumn != null) {
        labelMeta.put("value_column", valueColumn);
      }
      meta.put("label", labelMeta);
      if (median != null) {
        meta.put("median_threshold", median);
        meta.put(
            "note",
            name
                + " splits at the median of the whole input, future included; train splits "
                + valueColumn
                + " at each training window's median instead");
      }
      meta.put("time_column", ts);
      meta.put("symbol_column", symbol);
      if (streaming) {
        meta.put(RowOrder.KEY, order.columns()); // the input's order, kept
      }
      meta.put("plan", streaming ? "streaming (input already in order)" : "sorted window");
      meta.put("rows_in", total);
      meta.put("rows_out", kept);
      meta.put("rows_without_label", total - kept);
      if (!featureMeta.isEmpty()) {
        meta.put("features", featureMeta.get("features"));
      }
      Json.write(ctx.outputDir().resolve(Dataset.METADATA_FILE), meta);
      ctx.output("rows", Long.toString(kept));
      ctx.output("label", name);
      ctx.log()
          .info(
              "labelled "
                  + kept
                  + " rows ("
                  + (total - kept)
                  + " without one: no row "
                  + horizon
                  + " ahead, or no value)");
    }
  }

  private static void checkLeakage(
      Map<String, Object> featureMeta, String column, int horizon, String name) {
    Object list = featureMeta.get("features");
    if (!(list instanceof List<?> items)) {
      return;
    }
    List<Feature> features = new ArrayList<>();
    for (Object o : items) {
      Map<?, ?> m = (Map<?, ?>) o;
      Map<String, int[]> reads = new LinkedHashMap<>();
      ((Map<?, ?>) m.get("reads"))
          .forEach(
              (k, v) -> {
                List<?> r = (List<?>) v;
                reads.put(
                    String.valueOf(k),
                    new int[] {((Number) r.get(0)).intValue(), ((Number) r.get(1)).intValue()});
              });
      features.add(
          new Feature(
              String.valueOf(m.get("name")),
              String.valueOf(m.get("kind")),
              String.valueOf(m.get("sql")),
              reads));
    }
    List<String> leaks = LeakageGuard.leaks(features, column, start(horizon), name);
    if (!leaks.isEmpty()) {
      throw TaskFailure.nonRetryable(
          "leakage: " + String.join("; ", leaks) + " (" + LeakageGuard.hint(horizon) + ")");
    }
  }
}
