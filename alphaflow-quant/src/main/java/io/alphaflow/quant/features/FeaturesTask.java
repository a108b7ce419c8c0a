package io.alphaflow.quant.features;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Moments;
import io.alphaflow.quant.data.RowOrder;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Type {@code features}: adds feature columns computed with SQL window functions, per symbol in
 * time order, looking back only. Writes {@code data.parquet} (the feature columns alone, one row
 * per input row in the input's order; downstream tasks read them beside the input's columns through
 * {@link Dataset#scan}) and {@code feature_metadata.json}: the input they add to, every feature's
 * definition, the columns and row offsets it reads (what the label task's leakage guard checks),
 * each feature's share of NULLs and the correlation matrix of the features.
 */
public final class FeaturesTask implements QuantTask {
  public static final String METADATA_FILE = Dataset.FEATURE_METADATA_FILE;
  static final String CORRELATE_WITH = "correlate_with";

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys("input", "features", "time_column", "symbol_column", CORRELATE_WITH);
  }

  @Override
  public String type() {
    return "features";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(Configs.required(config, "input", "input: ${tasks.validate.output_dir}"));
    Object with = config.get(CORRELATE_WITH);
    if (with != null && (!(with instanceof String c) || c.isBlank())) {
      problems.add(
          new ConfigProblem(
              CORRELATE_WITH,
              "correlate_with names one column, was " + with,
              "correlate_with: S_LI_INITIATIVESELLRATE"));
    }
    List<String> listed = FeatureCatalog.problems(config.get("features"));
    for (String problem : listed) {
      problems.add(
          new ConfigProblem("features", problem, "see the features section of the README"));
    }
    if (listed.isEmpty()) {
      for (String problem : lookAhead(config)) {
        problems.add(
            new ConfigProblem(
                "features",
                problem,
                "order a window by the time column, ascending, ending at the current row: OVER w,"
                    + " or w5 for the last 5 rows"));
      }
    }
    return problems;
  }

  /**
   * {@link #check} when the flow loads, so {@code alphaflow validate} names each SQL feature that
   * looks ahead through its window (none when {@link #checkedAtLoad} cannot tell yet).
   */
  private static List<String> lookAhead(Map<String, Object> config) {
    Checked c = checkedAtLoad(config);
    return c == null ? List.of() : c.problems();
  }

  /**
   * The features a features task's {@code config} lists, as the task will read them: each of the
   * user's own SQL reading the columns DuckDB's parse of it names, not the words {@link
   * FeatureCatalog#parse} took for columns (a column called {@code count} or {@code hour} is one
   * too). For the label task's leakage guard when the flow loads. Throws {@link
   * IllegalArgumentException} for a list that is not valid, which the features task reports.
   */
  public static List<Feature> asRead(Map<String, Object> config) {
    Checked c = checkedAtLoad(config);
    return c == null ? FeatureCatalog.parse(config.get("features")) : c.features();
  }

  /**
   * {@link #check} as the flow loads: null for a list without SQL features, or whose time or symbol
   * column is a placeholder (the run checks again with their values), or when DuckDB cannot start.
   */
  private static Checked checkedAtLoad(Map<String, Object> config) {
    List<Feature> features = FeatureCatalog.parse(config.get("features"));
    Object ts = config.get("time_column");
    Object symbol = config.get("symbol_column");
    if (features.stream().noneMatch(f -> f.kind().equals("sql"))
        || String.valueOf(ts).contains("${")
        || String.valueOf(symbol).contains("${")) {
      return null;
    }
    try (Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
      return check(
          db,
          features,
          ts == null ? null : String.valueOf(ts),
          symbol == null ? null : String.valueOf(symbol));
    } catch (SQLException e) {
      return null; // the run checks again, and fails there
    }
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    Path input = Dataset.resolve(Configs.string(cfg, "input"));
    try (Connection db = Duck.open(cfg)) {
      String src = Dataset.scan(input);
      Map<String, String> columns = Sql.columns(db, "SELECT * FROM " + src);
      String ts = (String) cfg.get("time_column");
      String symbol = (String) cfg.get("symbol_column");
      List<Feature> features = checked(db, parse(cfg), ts, symbol);
      checkColumns(features, columns);
      Configs.requireColumns(columns, input.toString(), "time_column", ts, "symbol_column", symbol);
      String target = (String) cfg.get(CORRELATE_WITH);
      List<String> numeric = correlated(features, columns, target);
      RowOrder order = ts == null ? null : new RowOrder(symbol, ts);
      List<String> streamed =
          order != null && order.heldBy(input) ? streaming(features, order) : null;
      // only the features are written, row for row with the input (Dataset.ADDS_COLUMNS_TO): a
      // streaming lag() reads the rows in the input's order, a sorted window writes them back in it
      String query =
          streamed != null
              ? "SELECT " + String.join(", ", streamed) + " FROM " + src
              : sortedQuery(features, src, ts, symbol);
      Path out = ctx.outputDir().resolve(Dataset.DATA_FILE);
      List<String> names = features.stream().map(Feature::name).toList();
      Moments listwise = null; // of the rows where every feature is finite
      try {
        if (streamed != null) {
          // DuckDB writes a streaming window on one thread; the correlation's sums over the same
          // rows run beside it, each query on one thread (the same bits every run)
          String rowsOf = finiteRows(names, "(" + query + ")");
          List<String> sums = columns(names);
          double[] shifts = Moments.shifts(db, rowsOf, sums);
          List<List<Map<String, Object>>> done =
              Duck.parallel(
                  db,
                  List.of(
                      Dataset.parquetCopy(db, query, out), Moments.query(sums, shifts, rowsOf)));
          listwise = Moments.of(done.get(1).getFirst(), shifts);
        } else {
          Dataset.writeParquet(db, query, out);
        }
      } catch (SQLException e) {
        throw TaskFailure.nonRetryable(
            "computing features failed: " + e.getMessage().lines().findFirst().orElse(""), e);
      }
      long rows = Dataset.rows(db, out);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("input", input.toAbsolutePath().toString());
      meta.put(Dataset.ADDS_COLUMNS_TO, Dataset.addsColumnsTo(input, rows));
      meta.put("rows", rows);
      meta.put("time_column", ts);
      meta.put("symbol_column", symbol);
      if (streamed != null) {
        meta.put(RowOrder.KEY, order.columns()); // the input's order, kept
      }
      meta.put("plan", streamed != null ? "streaming (input already in order)" : "sorted window");
      meta.put("features", features.stream().map(FeaturesTask::describe).toList());
      // as seed 000's data_quality.null_rates: a window's first rows have no value
      meta.put("null_rates", Dataset.nullRates(db, out, rows, names));
      meta.put(
          "correlation",
          listwise != null
              ? Correlations.of(db, out, rows, names, listwise)
              : correlations(db, out, rows, features, Dataset.PART_ROWS));
      if (target != null) {
        // as seed 000's data_quality.feature_correlations: df.corr()[target]
        Map<String, Object> with = new LinkedHashMap<>();
        with.put("column", target);
        with.put("values", correlationsWith(db, input, out, rows, numeric, names, target));
        meta.put("correlation_with", with);
      }
      Json.write(ctx.outputDir().resolve(METADATA_FILE), meta);
      ctx.output("rows", Long.toString(rows));
      ctx.output("features", features.stream().map(Feature::name).collect(Collectors.joining(",")));
      ctx.log()
          .info(
              "computed "
                  + features.size()
                  + " features on "
                  + rows
                  + " rows"
                  + (streamed != null ? " in one streaming pass (input already in order)" : ""));
    }
  }

  /**
   * The columns correlated with {@code target} (none when null): the input's numeric ones, then the
   * features, as pandas' {@code df.corr()} takes them. Fails naming them when the target is not
   * one.
   */
  private static List<String> correlated(
      List<Feature> features, Map<String, String> columns, String target) {
    if (target == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    columns.forEach(
        (name, type) -> {
          if (Sql.isNumeric(type)) {
            out.add(name);
          }
        });
    features.forEach(f -> out.add(f.name()));
    if (!out.contains(target)) {
      throw TaskFailure.nonRetryable(
          "correlate_with '"
              + target
              + "' is not a numeric column of the input or a feature (they are: "
              + String.join(", ", out)
              + ")");
    }
    return out;
  }

  /**
   * {@link Correlations#with} over the input's rows with the features written beside them (the
   * metadata that would let {@link Dataset#scan} join them is not written yet): in parts side by
   * side where the input can be read by row range, and the rows that may not be finite looked for
   * only in the row groups whose footer statistics leave that open, in either file.
   */
  private static Map<String, Double> correlationsWith(
      Connection db,
      Path input,
      Path out,
      long rows,
      List<String> columns,
      List<String> features,
      String target)
      throws SQLException {
    List<Dataset.RowRange> parts = Dataset.parts(input, rows, Dataset.PART_ROWS);
    List<String> whole =
        beside(input, out, parts.isEmpty() ? Collections.singletonList(null) : parts);
    List<String> suspect = null;
    if (Dataset.rangeable(input)) {
      List<String> own = columns.stream().filter(c -> !features.contains(c)).toList();
      List<long[]> ranges = new ArrayList<>(Correlations.suspectRowGroups(db, input, own));
      ranges.addAll(Correlations.suspectRowGroups(db, out, features));
      ranges.sort(Comparator.comparingLong(r -> r[0]));
      List<Dataset.RowRange> merged = new ArrayList<>();
      for (long[] r : ranges) {
        Dataset.RowRange last = merged.isEmpty() ? null : merged.getLast();
        if (last != null && r[0] <= last.to()) {
          merged.set(
              merged.size() - 1, new Dataset.RowRange(last.from(), Math.max(last.to(), r[1])));
        } else {
          merged.add(new Dataset.RowRange(r[0], r[1]));
        }
      }
      suspect = beside(input, out, merged);
    }
    return Correlations.with(db, whole, suspect, rows, columns, target);
  }

  /**
   * The input's rows in each range (all of them for a null range) with the features beside them.
   */
  private static List<String> beside(Path input, Path out, List<Dataset.RowRange> ranges) {
    List<String> relations = new ArrayList<>();
    for (Dataset.RowRange range : ranges) {
      relations.add(
          "(SELECT * FROM "
              + Dataset.scan(input, range)
              + " POSITIONAL JOIN "
              + Dataset.own(out, range)
              + ")");
    }
    return relations;
  }

  /** Every feature's streaming form, or null when one of them has none. */
  private static List<String> streaming(List<Feature> features, RowOrder order) {
    List<String> out = new ArrayList<>();
    for (Feature f : features) {
      var sql = FeatureCatalog.streaming(f, order);
      if (sql.isEmpty()) {
        return null;
      }
      out.add(sql.get() + " AS " + Sql.ident(f.name()));
    }
    return out;
  }

  /**
   * Window functions per symbol in time (or file) order; the features are written back in the
   * input's row order ({@code __row}), so they line up with the input's rows.
   */
  private static String sortedQuery(List<Feature> features, String src, String ts, String symbol) {
    String base = "(SELECT *, row_number() OVER () AS __row FROM " + src + ")";
    String order = order(ts);
    String partition = partition(symbol);
    List<String> helpers = FeatureCatalog.helpers(features);
    String inner =
        helpers.isEmpty()
            ? base
            : "(SELECT *, "
                + String.join(", ", helpers)
                + " FROM "
                + base
                + " WINDOW w AS ("
                + partition
                + "ORDER BY "
                + order
                + "))";
    String computed =
        features.stream()
            .map(f -> f.sql() + " AS " + Sql.ident(f.name()))
            .collect(Collectors.joining(", "));
    String names =
        features.stream().map(f -> Sql.ident(f.name())).collect(Collectors.joining(", "));
    return "SELECT "
        + names
        + " FROM (SELECT __row, "
        + computed
        + " FROM "
        + inner
        + FeatureCatalog.windows(features, partition, order)
        + ") ORDER BY __row";
  }

  /**
   * The features, each of the user's own SQL checked by DuckDB's parse of it ({@link
   * SqlFeatureCheck}) as this task runs it: the task fails, naming every way one reads a later row,
   * before anything is computed. Their reads are the columns the parse names.
   */
  private static List<Feature> checked(
      Connection db, List<Feature> features, String ts, String symbol) throws SQLException {
    Checked c = check(db, features, ts, symbol);
    if (!c.problems().isEmpty()) {
      throw TaskFailure.nonRetryable(
          String.join("; ", c.problems())
              + " (a feature may read only the current and earlier rows, in time order)");
    }
    return c.features();
  }

  /** The features with their reads as {@link SqlFeatureCheck} finds them, and what it refuses. */
  private record Checked(List<Feature> features, List<String> problems) {}

  private static Checked check(Connection db, List<Feature> features, String ts, String symbol)
      throws SQLException {
    String windows = FeatureCatalog.windows(features, partition(symbol), order(ts));
    List<Feature> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Feature f : features) {
      if (!f.kind().equals("sql")) {
        out.add(f);
        continue;
      }
      try {
        SqlFeatureCheck check = SqlFeatureCheck.of(db, f.sql(), ts, windows);
        check
            .lookAhead()
            .forEach(p -> problems.add("feature '" + f.name() + "' looks ahead: " + p));
        out.add(FeatureCatalog.reading(f, check.columns()));
      } catch (IllegalArgumentException e) {
        problems.add("feature '" + f.name() + "': " + e.getMessage());
      }
    }
    return new Checked(out, problems);
  }

  /** What the task's windows order rows by: the time column, else the input's row number. */
  private static String order(String ts) {
    return ts != null ? Sql.ident(ts) : "__row";
  }

  /** The task's windows' PARTITION BY: per symbol, if there are symbols. */
  private static String partition(String symbol) {
    return symbol == null ? "" : "PARTITION BY " + Sql.ident(symbol) + " ";
  }

  private static List<Feature> parse(Map<String, Object> cfg) {
    try {
      return FeatureCatalog.parse(cfg.get("features"));
    } catch (IllegalArgumentException e) {
      throw TaskFailure.nonRetryable(e.getMessage());
    }
  }

  private static void checkColumns(List<Feature> features, Map<String, String> columns) {
    List<String> missing = new ArrayList<>();
    for (Feature f : features) {
      for (String c : f.reads().keySet()) {
        if (!columns.containsKey(c)) {
          missing.add("'" + f.name() + "' needs column '" + c + "'");
        }
      }
      if (columns.containsKey(f.name())) {
        throw TaskFailure.nonRetryable(
            "feature '" + f.name() + "' would overwrite the input column of that name: rename it");
      }
    }
    if (!missing.isEmpty()) {
      throw TaskFailure.nonRetryable(
          "the input lacks columns: "
              + String.join("; ", missing)
              + " (input columns: "
              + String.join(", ", columns.keySet())
              + ")");
    }
  }

  static Map<String, Object> describe(Feature f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", f.name());
    m.put("kind", f.kind());
    m.put("sql", f.sql());
    Map<String, List<Integer>> reads = new java.util.TreeMap<>(); // by name: the same every run
    f.reads().forEach((c, r) -> reads.put(c, List.of(r[0], r[1])));
    m.put("reads", reads);
    return m;
  }

  /**
   * The features' correlation matrix, each pair over the rows where both are finite ({@link
   * Correlations}), from the {@link Moments} of the rows where all are: summed per part of the
   * file, the parts side by side, each on one thread ({@link Duck#parallel}), and merged in part
   * order. So the matrix is the same bits run after run, and so is this task's metadata (DuckDB's
   * corr() over a file read on several threads is not).
   */
  static Map<String, Map<String, Double>> correlations(
      Connection db, Path out, long rows, List<Feature> features, long partRows)
      throws SQLException {
    List<String> names = features.stream().map(Feature::name).toList();
    List<Dataset.RowRange> parts = Dataset.parts(out, rows, partRows);
    List<String> relations = new ArrayList<>();
    for (Dataset.RowRange range :
        parts.isEmpty() ? Collections.singletonList((Dataset.RowRange) null) : parts) {
      relations.add(finiteRows(names, Dataset.own(out, range)));
    }
    List<String> columns = columns(names);
    Moments m =
        Moments.over(
            db,
            relations,
            columns,
            Moments.shifts(db, finiteRows(names, Dataset.own(out, null)), columns));
    return Correlations.of(db, out, rows, names, m);
  }

  /** The rows of {@code relation} where every feature is finite, the features as c0, c1, ... */
  private static String finiteRows(List<String> names, String relation) {
    StringBuilder select = new StringBuilder();
    StringBuilder finite = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      String cast = "CAST(" + Sql.ident(names.get(i)) + " AS DOUBLE)";
      select.append(i == 0 ? "" : ", ").append(cast).append(" AS c").append(i);
      finite.append(i == 0 ? "" : " AND ").append("isfinite(").append(cast).append(")");
    }
    return "(SELECT " + select + " FROM " + relation + " WHERE " + finite + ")";
  }

  private static List<String> columns(List<String> names) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      out.add("c" + i);
    }
    return out;
  }
}
