package io.alphaflow.quant.validate;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.RowOrder;
import io.alphaflow.quant.data.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Type {@code validate}: checks a dataset against a data contract. Schema drift (a missing column,
 * a changed type, an unexpected column when {@code strict}) fails at once with expected vs found.
 * Row-level violations (nulls where not allowed, values out of range, duplicate keys, timestamps
 * out of order) go to {@code quarantine.parquet} with a {@code reason} column and the good rows go
 * on, unless the share of bad rows passes {@code max_bad_row_rate} or a column's null rate passes
 * its {@code max_null_rate}. {@code metadata.json} carries the quality report.
 */
public final class ValidateTask implements QuantTask {
  public static final String QUARANTINE_FILE = "quarantine.parquet";
  static final String PROFILE_FILE = "profile.json";

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys(
        "input",
        "columns",
        "max_bad_row_rate",
        "max_gap",
        "profile",
        "strict",
        "timestamp_column",
        "symbol_column",
        "unique_key",
        "monotonic");
  }

  @Override
  public String type() {
    return "validate";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(Configs.required(config, "input", "input: ${tasks.ingest.output_dir}"));
    Object columns = config.get("columns");
    if (!(columns instanceof Map<?, ?> m) || m.isEmpty()) {
      problems.add(
          new ConfigProblem(
              "", "missing 'columns', the contract", "columns: {close: {type: double, min: 0}}"));
      return problems;
    }
    m.forEach(
        (name, spec) -> {
          Object type = spec instanceof Map<?, ?> s ? s.get("type") : spec;
          problems.addAll(
              Configs.oneOf(
                  "columns." + name + ".type",
                  "type",
                  type == null ? null : String.valueOf(type).toLowerCase(Locale.ROOT),
                  ColumnRule.TYPES,
                  "use one of " + String.join(", ", ColumnRule.TYPES)));
          if (spec instanceof Map<?, ?> s) {
            // a misspelt rule (nulable: false) would leave that part of the contract unchecked
            problems.addAll(
                Configs.unknownKeys(
                    "columns." + name,
                    s,
                    List.of("type", "nullable", "min", "max", "max_null_rate")));
            problems.addAll(
                Configs.flagProblem("columns." + name + ".nullable", s.get("nullable")));
            problems.addAll(range(String.valueOf(name), s.get("min"), s.get("max")));
            problems.addAll(
                Configs.fractionProblem(
                    "columns." + name + ".max_null_rate", s.get("max_null_rate")));
          }
        });
    problems.addAll(Configs.fractionProblem("max_bad_row_rate", config.get("max_bad_row_rate")));
    for (String flag : List.of("profile", "strict", "monotonic")) {
      problems.addAll(Configs.flagProblem(flag, config.get(flag)));
    }
    Object gap = config.get("max_gap");
    if (gap != null && !Configs.resolvesLater(gap)) {
      try {
        Durations.parse(String.valueOf(gap));
      } catch (IllegalArgumentException e) {
        problems.add(new ConfigProblem("max_gap", "bad duration '" + gap + "'", Durations.HINT));
      }
    }
    return problems;
  }

  /** A column's min and max: numbers (or templates), the min not above the max. */
  private static List<ConfigProblem> range(String column, Object min, Object max) {
    List<ConfigProblem> problems = new ArrayList<>();
    Double lo = bound(column, "min", min, problems);
    Double hi = bound(column, "max", max, problems);
    if (lo != null && hi != null && lo > hi) {
      problems.add(
          new ConfigProblem(
              "columns." + column + ".min",
              "column '"
                  + column
                  + "': min "
                  + min
                  + " is above max "
                  + max
                  + ": every row would fail",
              "swap them"));
    }
    return problems;
  }

  private static Double bound(String column, String key, Object v, List<ConfigProblem> problems) {
    if (v == null || Configs.resolvesLater(v)) {
      return null;
    }
    Double d = Configs.numberOrNull(v);
    if (d == null) {
      problems.add(
          new ConfigProblem(
              "columns." + column + "." + key,
              "column '" + column + "': " + key + " must be a number, was '" + v + "'",
              key + ": 0"));
    }
    return d;
  }

  private static long outOfOrder(Connection db) throws SQLException {
    return Sql.count(db, "flagged WHERE reason = " + Sql.literal(RowChecks.OUT_OF_ORDER));
  }

  /**
   * The order the good rows are known to be in: by time, when the data has no symbol column and the
   * monotonic check found nothing out of order (the rows dropped for other rules leave it sorted)
   * and no good row lacks a time (a sort would move it to the end).
   */
  private static Optional<RowOrder> sortOrder(
      Map<String, Object> cfg, RowChecks checks, Connection db, Path good) throws SQLException {
    boolean orderChecked =
        checks.across().stream().anyMatch(a -> a.reason().equals(RowChecks.OUT_OF_ORDER));
    if (!orderChecked || cfg.get("symbol_column") != null) {
      return Optional.empty();
    }
    if (outOfOrder(db) > 0) {
      return Optional.empty();
    }
    String ts = (String) cfg.get("timestamp_column");
    long untimed =
        Sql.count(
            db, "(SELECT 1 FROM " + Dataset.scan(good) + " WHERE " + Sql.ident(ts) + " IS NULL)");
    return untimed == 0 ? Optional.of(new RowOrder(null, ts)) : Optional.empty();
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    Path input = Dataset.resolve(Configs.string(cfg, "input"));
    List<ColumnRule> rules = new ArrayList<>();
    Configs.map(cfg, "columns").forEach((k, v) -> rules.add(ColumnRule.parse(k, v)));
    try (Connection db = Duck.open(cfg)) {
      boolean parquet = input.getFileName().toString().endsWith(".parquet");
      String srcScan =
          parquet
              ? "read_parquet("
                  + Sql.literal(input.toAbsolutePath().toString())
                  + ", file_row_number = true)"
              : "(SELECT row_number() OVER () - 1 AS file_row_number, * FROM "
                  + Dataset.scan(input)
                  + ")";
      Map<String, String> found = Sql.columns(db, "SELECT * FROM " + srcScan);
      found.remove("file_row_number");
      checkSchema(input, rules, found, Configs.flag(cfg, "strict", false));

      Sql.exec(db, "CREATE VIEW src AS SELECT * FROM " + srcScan);
      RowChecks checks = RowChecks.build(cfg, rules, found, "src");
      Sql.exec(db, "CREATE TEMP TABLE flagged AS " + checks.flaggedQuery());
      Optional<RowChecks.Across> exact = checks.exactDuplicates();
      if (exact.isPresent() && outOfOrder(db) > 0) {
        Sql.exec(db, "DELETE FROM flagged WHERE reason = " + Sql.literal(exact.get().reason()));
        Sql.exec(db, "INSERT INTO flagged " + exact.get().query());
      }
      Sql.exec(
          db,
          "CREATE TEMP TABLE across_bad AS SELECT file_row_number, string_agg(reason, '; ' ORDER BY reason) AS reason"
              + " FROM flagged GROUP BY 1");
      boolean anyAcross = Sql.count(db, "across_bad") > 0;
      String cols = found.keySet().stream().map(Sql::ident).collect(Collectors.joining(", "));
      Path out = ctx.outputDir();
      Dataset.writeParquet(
          db,
          "SELECT src.file_row_number AS source_row, "
              + qualified(found)
              + ", concat_ws('; ', nullif("
              + checks.inlineReasons()
              + ", ''), a.reason) AS reason FROM src LEFT JOIN across_bad a USING (file_row_number)"
              + " WHERE ("
              + checks.anyInline()
              + ") OR a.reason IS NOT NULL ORDER BY source_row",
          out.resolve(QUARANTINE_FILE));
      if (parquet && Dataset.rows(db, out.resolve(QUARANTINE_FILE)) == 0) {
        keepAll(ctx, input, out.resolve(Dataset.DATA_FILE));
      } else {
        // the common case streams the good rows out in source order; only a cross-row hit needs a
        // sort
        Dataset.writeParquet(
            db,
            "SELECT "
                + cols
                + " FROM src WHERE NOT ("
                + checks.anyInline()
                + ")"
                + (anyAcross
                    ? " AND file_row_number NOT IN (SELECT file_row_number FROM across_bad) ORDER BY"
                        + " file_row_number"
                    : ""),
            out.resolve(Dataset.DATA_FILE));
      }

      QualityReport report =
          QualityReport.compute(db, checks, rules, found, cfg, out.resolve(QUARANTINE_FILE));
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("input", input.toAbsolutePath().toString());
      meta.put("columns", found);
      meta.put("quality", report.asMap());
      sortOrder(cfg, checks, db, out.resolve(Dataset.DATA_FILE))
          .ifPresent(o -> meta.put(RowOrder.KEY, o.columns()));
      Json.write(out.resolve(Dataset.METADATA_FILE), meta);
      if (Configs.flag(cfg, "profile", false)) {
        Json.write(
            out.resolve(PROFILE_FILE),
            Profile.of(db, out.resolve(Dataset.DATA_FILE), report.validRows(), found));
      }
      ctx.log().info(report.summary());
      ctx.output("rows", Long.toString(report.validRows()));
      ctx.output("quarantined", Long.toString(report.badRows()));
      ctx.output("quality_score", String.format(Locale.ROOT, "%.6f", report.qualityScore()));
      report.enforce(Configs.fraction(cfg, "max_bad_row_rate", 0.05));
    }
  }

  /**
   * Every row of a Parquet input is good: the output is the input, byte for byte. An upstream
   * task's published output is hard-linked (it never changes); anything else, a user's file that
   * might be rewritten in place, is copied.
   */
  private static void keepAll(TaskContext ctx, Path input, Path target) throws IOException {
    if (ctx.isPublishedOutput(input)) {
      try {
        Files.createLink(target, input);
        return;
      } catch (IOException | UnsupportedOperationException e) {
        ctx.log().info("cannot hard-link " + input + " (" + e.getMessage() + "): copying it");
      }
    }
    Files.copy(input, target);
  }

  private static String qualified(Map<String, String> found) {
    return found.keySet().stream()
        .map(c -> "src." + Sql.ident(c))
        .collect(Collectors.joining(", "));
  }

  private static void checkSchema(
      Path input, List<ColumnRule> rules, Map<String, String> found, boolean strict) {
    List<String[]> diff = new ArrayList<>();
    for (ColumnRule r : rules) {
      String t = found.get(r.name());
      if (t == null) {
        diff.add(new String[] {r.name(), r.type() == null ? "(any)" : r.type(), "(missing)"});
      } else if (!r.accepts(t)) {
        diff.add(new String[] {r.name(), r.type(), t});
      }
    }
    if (strict) {
      List<String> known = rules.stream().map(ColumnRule::name).toList();
      found.forEach(
          (name, t) -> {
            if (!known.contains(name)) {
              diff.add(new String[] {name, "(not in contract)", t});
            }
          });
    }
    if (diff.isEmpty()) {
      return;
    }
    int w = Math.max(6, diff.stream().mapToInt(d -> d[0].length()).max().orElse(6));
    StringBuilder sb =
        new StringBuilder(
            "schema drift in "
                + input
                + ": "
                + diff.size()
                + (diff.size() == 1 ? " column differs" : " columns differ")
                + " from the contract\n");
    sb.append(String.format("  %-" + w + "s  %-18s  %s%n", "column", "expected", "found"));
    for (String[] d : diff) {
      sb.append(String.format("  %-" + w + "s  %-18s  %s%n", d[0], d[1], d[2]));
    }
    throw TaskFailure.nonRetryable(sb.toString().stripTrailing());
  }
}
