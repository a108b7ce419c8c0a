package io.alphaflow.quant.clean;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Type {@code clean}: drops duplicate keys (the first row wins), fills missing values per column
 * ({@code ffill} within a symbol, {@code zero}, {@code mean} (the expanding mean of earlier rows,
 * so no future value leaks in), or {@code drop} the row), clips to fixed bounds or winsorizes to
 * quantiles of each row's past (its symbol's rows up to it: a later value moves no earlier row's
 * bounds), and resamples to bars ({@code 1min}, {@code 5min}, {@code 1h}, {@code 1d}) with OHLCV
 * rules. Bars are stamped with their end time, so a bar's values are all known at its timestamp.
 */
public final class CleanTask implements QuantTask {
  static final List<String> FILLS = List.of("ffill", "zero", "mean", "drop");

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys(
        "input", "dedupe", "fill", "clip", "winsorize", "resample", "time_column", "symbol_column");
  }

  @Override
  public String type() {
    return "clean";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(Configs.required(config, "input", "input: ${tasks.validate.output_dir}"));
    Configs.map(config, "fill")
        .forEach(
            (col, how) ->
                problems.addAll(
                    Configs.oneOf(
                        "fill." + col,
                        "fill",
                        how,
                        FILLS,
                        "use one of " + String.join(", ", FILLS))));
    problems.addAll(Bounds.problems(config));
    Map<String, Object> resample = Configs.map(config, "resample");
    if (!resample.isEmpty()) {
      problems.addAll(Configs.unknownKeys("resample", resample, List.of("every", "price")));
      Object every = resample.get("every");
      try {
        if (!Configs.resolvesLater(every)) {
          Durations.parse(String.valueOf(every).replace("min", "m"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(
            new ConfigProblem(
                "resample.every", "bad bar interval '" + every + "'", "e.g. 1min, 5min, 1h, 1d"));
      }
      if (config.get("time_column") == null) {
        problems.add(
            new ConfigProblem("", "resample needs 'time_column'", "time_column: timestamp"));
      }
    }
    return problems;
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    Path input = Dataset.resolve(Configs.string(cfg, "input"));
    String ts = (String) cfg.get("time_column");
    String symbol = (String) cfg.get("symbol_column");
    try (Connection db = Duck.open(cfg)) {
      String src = Dataset.scan(input);
      Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + src);
      String partition = symbol == null ? "" : "PARTITION BY " + Sql.ident(symbol) + " ";
      String order = ts == null ? "__row" : Sql.ident(ts);
      Sql.exec(db, "CREATE TEMP TABLE t0 AS SELECT *, row_number() OVER () AS __row FROM " + src);
      long rowsIn = Sql.count(db, "t0");
      String current = "t0";
      Map<String, Object> steps = new LinkedHashMap<>();

      Object key = cfg.get("dedupe");
      if (key instanceof List<?> k && !k.isEmpty()) {
        String cols =
            k.stream().map(o -> Sql.ident(String.valueOf(o))).collect(Collectors.joining(", "));
        Sql.exec(
            db,
            "CREATE TEMP TABLE t1 AS SELECT * FROM "
                + current
                + " QUALIFY row_number() OVER (PARTITION BY "
                + cols
                + " ORDER BY __row) = 1");
        steps.put("duplicates_dropped", Sql.count(db, current) - Sql.count(db, "t1"));
        current = "t1";
      }

      Map<String, Object> fill = Configs.map(cfg, "fill");
      if (!fill.isEmpty()) {
        List<String> exprs = new ArrayList<>();
        List<String> dropIf = new ArrayList<>();
        for (String c : columns.keySet()) {
          String how = fill.containsKey(c) ? String.valueOf(fill.get(c)) : null;
          String col = Sql.ident(c);
          String w =
              " OVER ("
                  + partition
                  + "ORDER BY "
                  + order
                  + " ROWS BETWEEN UNBOUNDED PRECEDING AND ";
          exprs.add(
              switch (how == null ? "" : how) {
                case "ffill" ->
                    "coalesce("
                        + col
                        + ", last_value("
                        + col
                        + " IGNORE NULLS)"
                        + w
                        + "1 PRECEDING)) AS "
                        + col;
                case "zero" -> "coalesce(" + col + ", 0) AS " + col;
                case "mean" ->
                    "coalesce(" + col + ", avg(" + col + ")" + w + "1 PRECEDING)) AS " + col;
                case "drop" -> {
                  dropIf.add(col + " IS NULL");
                  yield col;
                }
                default -> col;
              });
        }
        fill.keySet().forEach(c -> Configs.requireColumns(columns, "the input", "fill", c));
        Sql.exec(
            db,
            "CREATE TEMP TABLE t2 AS SELECT "
                + String.join(", ", exprs)
                + ", __row FROM "
                + current
                + (dropIf.isEmpty() ? "" : " WHERE NOT (" + String.join(" OR ", dropIf) + ")"));
        steps.put("rows_dropped_by_fill", Sql.count(db, current) - Sql.count(db, "t2"));
        current = "t2";
      }

      if (!Configs.map(cfg, "clip").isEmpty() || !Configs.map(cfg, "winsorize").isEmpty()) {
        current =
            Bounds.apply(db, ctx.log(), cfg, columns, current, partition, order, symbol, steps);
      }

      String finalQuery =
          "SELECT * EXCLUDE (__row) FROM "
              + current
              + " ORDER BY "
              + (symbol == null ? "" : Sql.ident(symbol) + ", ")
              + order;
      Map<String, Object> resample = Configs.map(cfg, "resample");
      if (!resample.isEmpty()) {
        finalQuery = Resample.query(current, columns, ts, symbol, resample);
        steps.put("resampled_to", resample.get("every"));
      }
      Path out = ctx.outputDir().resolve(Dataset.DATA_FILE);
      Dataset.writeParquet(db, finalQuery, out);
      long rowsOut = Dataset.rows(db, out);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("input", input.toAbsolutePath().toString());
      meta.put("rows_in", rowsIn);
      meta.put("rows_out", rowsOut);
      meta.put("steps", steps);
      Json.write(ctx.outputDir().resolve(Dataset.METADATA_FILE), meta);
      ctx.output("rows", Long.toString(rowsOut));
      ctx.log().info("cleaned " + rowsIn + " rows into " + rowsOut + ": " + steps);
    }
  }
}
