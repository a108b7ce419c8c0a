package io.alphaflow.quant.ingest;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.DidYouMean;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.FileHashes;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Type {@code ingest}: reads CSV or Parquet (one file, a glob, or a date-partitioned directory such
 * as {@code raw/date=2024-03-01/}) into {@code data.parquet}, with timestamps converted to UTC,
 * plus {@code metadata.json}: rows, columns, time range, and every source file with its size and
 * content hash. Source order is kept, so {@code validate} can still see rows out of order.
 *
 * <p>A CSV row that cannot be read (a value its column's type cannot hold, too many or too few
 * fields) fails the task, unless {@code on_bad_rows: quarantine}: then such rows go to {@code
 * rejected.parquet} (file, line, column, error, the line as written) and the rest go on, up to
 * {@code max_bad_row_rate} of the rows (default 5%, as validate's).
 */
public final class IngestTask implements QuantTask {
  public static final String REJECTED_FILE = "rejected.parquet";

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys(
        "path",
        "format",
        "timezone",
        "on_bad_rows",
        "max_bad_row_rate",
        DECIMAL_SEPARATOR,
        "schema",
        "timestamp_column",
        "timestamp_format",
        "symbol_column",
        "symbol",
        "delimiter");
  }

  @Override
  public String type() {
    return "ingest";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(Configs.required(config, "path", "path: data/raw/*.csv"));
    Object zone = config.get("timezone");
    if (zone != null && !Configs.resolvesLater(zone)) {
      try {
        java.time.ZoneId.of(String.valueOf(zone), java.time.ZoneId.SHORT_IDS);
      } catch (java.time.DateTimeException e) {
        problems.add(
            new ConfigProblem(
                "timezone",
                "unknown timezone '" + zone + "'",
                "an IANA name such as America/New_York, Europe/London or UTC"));
      }
    }
    problems.addAll(Dataset.formatProblem(config));
    problems.addAll(
        Configs.oneOf(
            "on_bad_rows",
            "on_bad_rows",
            config.get("on_bad_rows"),
            List.of("fail", "quarantine"),
            "use fail (the default) or quarantine"));
    problems.addAll(Configs.fractionProblem("max_bad_row_rate", config.get("max_bad_row_rate")));
    Object decimal = config.get(DECIMAL_SEPARATOR);
    if (decimal != null
        && !Configs.resolvesLater(decimal)
        && !List.of(".", ",").contains(String.valueOf(decimal))) {
      problems.add(
          new ConfigProblem(
              DECIMAL_SEPARATOR,
              "decimal_separator is '.' or ',', was '" + decimal + "'",
              "decimal_separator: ',' for numbers written 1,5; then the delimiter is not ','"
                  + " (delimiter: ';')"));
    }
    Object schema = config.get("schema");
    if (schema != null && !(schema instanceof Map<?, ?>)) {
      problems.add(
          new ConfigProblem(
              "schema", "'schema' must map column names to types", "schema: {close: DOUBLE}"));
    } else if (schema instanceof Map<?, ?> m) {
      problems.addAll(typeProblems(m));
    }
    return problems;
  }

  /**
   * A problem for each type of {@code schema} DuckDB does not know (DOUBEL), found when the flow
   * loads rather than when the file is read, with the closest type DuckDB knows; a template is
   * checked once it resolves. None when DuckDB cannot start here: the run reads the types anyway.
   */
  private static List<ConfigProblem> typeProblems(Map<?, ?> schema) {
    List<ConfigProblem> problems = new ArrayList<>();
    try (Connection db = java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
      for (Map.Entry<?, ?> e : schema.entrySet()) {
        String type = String.valueOf(e.getValue());
        if (Configs.resolvesLater(type) || knows(db, type)) {
          continue;
        }
        List<String> known = new ArrayList<>();
        Sql.rows(db, "SELECT DISTINCT upper(type_name) AS t FROM duckdb_types()")
            .forEach(r -> known.add(String.valueOf(r.get("t"))));
        String closest = DidYouMean.closest(type.toUpperCase(Locale.ROOT), known);
        problems.add(
            new ConfigProblem(
                "schema." + e.getKey(),
                "column '" + e.getKey() + "': DuckDB knows no type '" + type + "'",
                (closest == null ? "" : "did you mean " + closest + "? ")
                    + "DuckDB's types include DOUBLE, BIGINT, VARCHAR, DATE, TIMESTAMP and"
                    + " DECIMAL(18,3)"));
      }
    } catch (SQLException e) {
      return problems; // the run reads the types and fails there, naming DuckDB's reason
    }
    return problems;
  }

  /** Whether DuckDB reads {@code type} as one type. */
  private static boolean knows(Connection db, String type) {
    // a failed statement is closed by DuckDB's driver: one statement a type
    try (Statement s = db.createStatement()) {
      return !type.contains(";") && s.execute("SELECT CAST(NULL AS " + type + ")");
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * DuckDB keeps the rows it rejects only when it reads files by column position, not lined up by
   * name; files whose headers differ would be read wrongly that way, so they are refused.
   */
  private static void sameHeaders(List<Path> files) {
    String first = header(files.getFirst());
    for (Path f : files.subList(1, files.size())) {
      String h = header(f);
      if (!h.equals(first)) {
        throw TaskFailure.nonRetryable(
            "on_bad_rows: quarantine reads several CSV files by column position, and "
                + f
                + "'s header '"
                + h
                + "' differs from "
                + files.getFirst()
                + "'s '"
                + first
                + "': ingest them in separate tasks, or without on_bad_rows: quarantine");
      }
    }
  }

  /** A CSV file's first line (gzipped or not), trimmed. */
  private static String header(Path file) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in =
            file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")
                ? new GZIPInputStream(raw)
                : raw;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line = r.readLine();
      return line == null ? "" : line.strip();
    } catch (IOException e) {
      throw TaskFailure.retryable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether CSV rows that cannot be read go to {@link #REJECTED_FILE} instead of failing. */
  private static boolean quarantines(Map<String, Object> cfg) {
    return "quarantine".equals(Configs.string(cfg, "on_bad_rows", "fail"));
  }

  /**
   * The source files' content hashes (with their {@code key=value} partition directories, which
   * become columns) stand for the path: renamed but identical data hits the cache.
   */
  @Override
  public Object cacheIdentity(Map<String, Object> resolvedConfig) throws Exception {
    Map<String, Object> identity = new LinkedHashMap<>(resolvedConfig);
    try (Connection db = Duck.open(resolvedConfig)) {
      identity.put(
          "path",
          expand(db, Configs.string(resolvedConfig, "path")).stream()
              .map(f -> partitionsOf(f) + FileHashes.of(f))
              .toList());
    }
    return identity;
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    String pattern = Configs.string(cfg, "path");
    try (Connection db = Duck.open(cfg)) {
      List<Path> files = expand(db, pattern);
      CompletableFuture<List<Map<String, Object>>> sources =
          CompletableFuture.supplyAsync(() -> describe(files));
      try {
        ingest(ctx, db, pattern, files, sources);
      } catch (Exception | Error e) {
        // the sources' hashing writes to the state directory: it ends before the attempt does
        sources.exceptionally(x -> null).join();
        throw e;
      }
    }
  }

  /** {@link #execute}'s work once the files are known and their hashing under way. */
  private void ingest(
      TaskContext ctx,
      Connection db,
      String pattern,
      List<Path> files,
      CompletableFuture<List<Map<String, Object>>> sources)
      throws Exception {
    Map<String, Object> cfg = ctx.config();
    String format = Configs.string(cfg, "format", formatOf(files.get(0)));
    boolean quarantine = format.equals("csv") && quarantines(cfg);
    if (quarantine) {
      sameHeaders(files);
    }
    Sniffed sniffed = sniff(db, cfg, files, format);
    if (sniffed == null) {
      String scan = scan(cfg, files, format, Set.of());
      Map<String, String> found = readColumns(db, scan, files);
      Map<String, String> wholeNumbers =
          format.equals("csv") ? sampledWholeNumbers(cfg, found, files) : Map.of();
      sniffed =
          new Sniffed(
              wholeNumbers.isEmpty() ? scan : scan(cfg, files, format, wholeNumbers.keySet()),
              found,
              wholeNumbers);
    }
    String scan = sniffed.scan();
    Map<String, String> found = sniffed.columns();
    checkDelimiter(found, format, files.get(0));
    Select select =
        select(cfg, found, sniffed.wholeNumbers(), scan.contains(Sql.literal(SOURCE_FILE)));
    Path out = ctx.outputDir().resolve(Dataset.DATA_FILE);
    try {
      Dataset.writeParquet(db, "SELECT " + select.columns() + " FROM " + scan, out, select.text());
    } catch (SQLException e) {
      String ts = (String) cfg.get("timestamp_column");
      String bad = ts == null ? null : badTimestamp(db, cfg, scan, ts, found.get(ts), files);
      throw TaskFailure.nonRetryable(
          "cannot read " + pattern + ": " + (bad != null ? bad : firstLine(e) + fix(e)), e);
    }
    String data = Dataset.scan(out);
    long rows = Dataset.rows(db, out);
    Rejected rejected =
        quarantine ? Rejected.write(db, ctx.outputDir().resolve(REJECTED_FILE)) : Rejected.NONE;
    rejected.enforce(pattern, rows, Configs.fraction(cfg, "max_bad_row_rate", 0.05));
    if (rows == 0) {
      throw TaskFailure.nonRetryable(
          pattern
              + " has no data rows"
              + (format.equals("csv") ? " (only a header, or empty)" : ""));
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("rows", rows);
    Map<String, String> written = Sql.columns(db, data);
    meta.put("columns", columnList(written));
    List<String> commaText =
        format.equals("csv") && cfg.get(DECIMAL_SEPARATOR) == null
            ? decimalCommaText(db, data, written)
            : List.of();
    if (!commaText.isEmpty()) {
      // in the run's summary, not only in the task's log
      meta.put(DECIMAL_COMMA_COLUMNS, commaText);
      ctx.output(DECIMAL_COMMA_COLUMNS, String.join(",", commaText));
      for (String c : commaText) {
        ctx.log()
            .warn(
                "column '"
                    + c
                    + "' holds numbers written with a decimal comma (1,5), kept as text: set"
                    + " decimal_separator: ',' (and a delimiter other than ',') to read them as"
                    + " numbers");
      }
    }
    String ts = (String) cfg.get("timestamp_column");
    if (ts != null) {
      Map<String, Object> range =
          Sql.row(
              db,
              "SELECT min("
                  + Sql.ident(ts)
                  + ")::VARCHAR AS first, max("
                  + Sql.ident(ts)
                  + ")::VARCHAR AS last FROM "
                  + data);
      meta.put("time_range", range);
      meta.put("timestamp_column", ts);
      meta.put("timezone_of_source", Configs.string(cfg, "timezone", "UTC"));
      meta.put("timestamps_stored_in", "UTC");
    }
    meta.put("format", format);
    if (quarantine) {
      meta.put("rows_rejected", rejected.rows());
      meta.put("rejected_file", rejected.rows() > 0 ? REJECTED_FILE : null);
    }
    meta.put("source_files", sources.join());
    meta.put("ingested_at", Instant.now().toString());
    Json.write(ctx.outputDir().resolve(Dataset.METADATA_FILE), meta);
    ctx.output("rows", Long.toString(rows));
    if (quarantine) {
      ctx.output("rejected", Long.toString(rejected.rows()));
    }
    if (rejected.rows() > 0) {
      ctx.log()
          .warn(
              rejected.rows()
                  + " row(s) could not be read and went to "
                  + REJECTED_FILE
                  + "; the first: "
                  + rejected.first());
    }
    ctx.log().info("ingested " + rows + " rows from " + files.size() + " file(s)");
  }

  private static List<Path> expand(Connection db, String pattern) throws SQLException {
    Path p = Path.of(pattern);
    String glob = Files.isDirectory(p) ? p.resolve("**").resolve("*.*").toString() : pattern;
    List<Path> files = new ArrayList<>();
    for (Map<String, Object> r :
        Sql.rows(db, "SELECT file FROM glob(" + Sql.literal(glob) + ") ORDER BY file")) {
      Path f = Path.of(String.valueOf(r.get("file")));
      String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".parquet")) {
        files.add(f);
      }
    }
    if (files.isEmpty()) {
      throw TaskFailure.nonRetryable(noFiles(p, pattern));
    }
    for (Path f : files) {
      try {
        if (Files.size(f) == 0) {
          throw TaskFailure.nonRetryable(f + " is empty (0 bytes)");
        }
      } catch (java.io.IOException e) {
        throw TaskFailure.retryable("cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    return files;
  }

  /** Why {@code pattern} gave nothing to read, and where it was looked for. */
  static String noFiles(Path p, String pattern) {
    if (Files.isRegularFile(p)) {
      return pattern
          + " is not a CSV (.csv, .csv.gz) or Parquet (.parquet) file: ingest reads those";
    }
    String message = "no CSV or Parquet files match " + pattern;
    if (!p.isAbsolute()) {
      message +=
          " (a relative path, read from the directory alphaflow runs in: "
              + Path.of("").toAbsolutePath()
              + "): run from the directory it is relative to, or give an absolute path";
    }
    return message;
  }

  /**
   * The {@code key=value} directories {@code file} lies under (key and value not empty), each
   * followed by a slash: the partitions DuckDB turns into columns ({@link #isHive}).
   */
  private static String partitionsOf(Path file) {
    StringBuilder sb = new StringBuilder();
    Path parent = file.getParent();
    if (parent != null) {
      for (Path segment : parent) {
        if (PARTITION.matcher(segment.toString()).matches()) {
          sb.append(segment).append('/');
        }
      }
    }
    return sb.toString();
  }

  private static final Pattern PARTITION = Pattern.compile("[^=]+=[^/]+");

  private static String formatOf(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")
        ? "parquet"
        : "csv";
  }

  private static final int CSV_BUFFER_BYTES = 4 << 20;

  /** The column naming each row's file in a scan of several ({@link #checkedAs}'s message). */
  private static final String SOURCE_FILE = "__source_file";

  /** Files under {@code key=value} directories: partitions, whose values become columns. */
  private static boolean isHive(List<Path> files) {
    return files.stream().anyMatch(f -> !partitionsOf(f).isEmpty());
  }

  /**
   * The files as DuckDB reads them, the columns in {@code asText} as text (for {@link #checkedAs}).
   */
  private static String scan(
      Map<String, Object> cfg, List<Path> files, String format, Set<String> asText) {
    String list =
        files.stream()
            .map(f -> Sql.literal(f.toAbsolutePath().toString()))
            .collect(Collectors.joining(", ", "[", "]"));
    boolean hive = isHive(files);
    StringBuilder sb = new StringBuilder();
    if (format.equals("parquet")) {
      sb.append("read_parquet(").append(list).append(", union_by_name = true");
    } else {
      // 4 MB read buffers instead of DuckDB's 32 MB per thread: half the peak memory of a large
      // CSV ingest and no slower (bench/pipeline); still twice the longest line DuckDB accepts
      // DuckDB keeps rejected rows only for files read by column position: with quarantine,
      // several files' headers must match instead of being lined up by name
      sb.append("read_csv(")
          .append(list)
          .append(", header = true, union_by_name = ")
          .append(!quarantines(cfg))
          .append(", buffer_size = ")
          .append(CSV_BUFFER_BYTES);
      sb.append(dialect(cfg));
      Map<String, String> types = new LinkedHashMap<>();
      Configs.map(cfg, "schema").forEach((k, v) -> types.put(k, String.valueOf(v)));
      asText.forEach(c -> types.put(c, "VARCHAR"));
      if (!types.isEmpty()) {
        sb.append(
            types.entrySet().stream()
                .map(e -> Sql.literal(e.getKey()) + ": " + Sql.literal(e.getValue()))
                .collect(Collectors.joining(", ", ", types = {", "}")));
      }
      if (!asText.isEmpty() && files.size() > 1) {
        // which file a rejected value came from, for checkedAs's message
        sb.append(", filename = ").append(Sql.literal(SOURCE_FILE));
      }
      if (quarantines(cfg)) {
        sb.append(", store_rejects = true");
      }
    }
    if (hive) {
      sb.append(", hive_partitioning = true");
    }
    return sb.append(")").toString();
  }

  /**
   * The text columns of {@code data} whose every value is a number written with a decimal comma
   * ({@code 1,5}, {@code -1234,5}): numbers DuckDB kept as text for want of {@code
   * decimal_separator}. (DuckDB reads no thousands separators: {@code 1.234,5} stays text.)
   */
  private static List<String> decimalCommaText(
      Connection db, String data, Map<String, String> columns) throws SQLException {
    List<String> text =
        columns.entrySet().stream()
            .filter(e -> e.getValue().equals("VARCHAR"))
            .map(Map.Entry::getKey)
            .toList();
    // the first rows first: a column of symbols or venues is ruled out there, unread beyond them
    List<String> sampled = allDecimalCommas(db, "(SELECT * FROM " + data + " LIMIT 1000)", text);
    return sampled.isEmpty() ? sampled : allDecimalCommas(db, data, sampled);
  }

  /** Those of {@code columns} (text) with a value in {@code relation}, each a decimal-comma one. */
  private static List<String> allDecimalCommas(Connection db, String relation, List<String> columns)
      throws SQLException {
    if (columns.isEmpty()) {
      return List.of();
    }
    StringBuilder sums = new StringBuilder();
    for (int i = 0; i < columns.size(); i++) {
      String c = Sql.ident(columns.get(i));
      sums.append(i == 0 ? "" : ", ")
          .append("count(")
          .append(c)
          .append(") AS n")
          .append(i)
          .append(", count(*) FILTER (WHERE regexp_full_match(trim(")
          .append(c)
          .append("), '[-+]?[0-9]+,[0-9]+')) AS m")
          .append(i);
    }
    Map<String, Object> r = Sql.row(db, "SELECT " + sums + " FROM " + relation);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      long n = ((Number) r.get("n" + i)).longValue();
      if (n > 0 && n == ((Number) r.get("m" + i)).longValue()) {
        out.add(columns.get(i));
      }
    }
    return out;
  }

  /** The CSV options the task's config sets: {@code delimiter}, {@code decimal_separator}. */
  private static String dialect(Map<String, Object> cfg) {
    StringBuilder sb = new StringBuilder();
    Object delim = cfg.get("delimiter");
    if (delim != null) {
      sb.append(", delim = ").append(Sql.literal(String.valueOf(delim)));
    }
    Object decimal = cfg.get(DECIMAL_SEPARATOR);
    if (decimal != null) {
      sb.append(", decimal_separator = ").append(Sql.literal(String.valueOf(decimal)));
    }
    return sb.toString();
  }

  private static final String DECIMAL_SEPARATOR = "decimal_separator";

  /** The output naming text columns of numbers with decimal commas ({@link #decimalCommaText}). */
  private static final String DECIMAL_COMMA_COLUMNS = "decimal_comma_columns";

  /**
   * The whole-number columns DuckDB typed from the rows it sampled: those neither declared in
   * {@code schema} nor {@code key=value} directories. Past the sample DuckDB would round 1.5 to 2
   * in them; they are read as text instead and each value checked ({@link #checkedAs}).
   */
  private static Map<String, String> sampledWholeNumbers(
      Map<String, Object> cfg, Map<String, String> found, List<Path> files) {
    Set<String> declared = new HashSet<>(Configs.map(cfg, "schema").keySet());
    for (Path f : files) {
      for (String partition : partitionsOf(f).split("/")) {
        declared.add(partition.split("=", 2)[0]);
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    found.forEach(
        (name, type) -> {
          if (Sql.isInteger(type) && !declared.contains(name)) {
            out.put(name, type);
          }
        });
    return out;
  }

  /** A CSV scan with the dialect and columns DuckDB's sniffer found, and those columns. */
  private record Sniffed(
      String scan, Map<String, String> columns, Map<String, String> wholeNumbers) {}

  /**
   * One CSV file (no {@code schema}, no partition directories) read as DuckDB's sniffer reads it,
   * with what it found spelled out: the {@code read_csv(..., auto_detect=false, ...)} call that
   * {@code sniff_csv} writes for it. The copy would otherwise sniff the file a second time, about
   * 50 ms at any size. Null for the other cases: {@link #scan} reads them, DuckDB typing the
   * columns not in {@code schema}, and {@link #sampledWholeNumbers} guards those it made whole
   * numbers.
   */
  private static Sniffed sniff(
      Connection db, Map<String, Object> cfg, List<Path> files, String format) {
    if (!format.equals("csv")
        || files.size() != 1
        || !Configs.map(cfg, "schema").isEmpty()
        || isHive(files)) {
      return null;
    }
    Map<String, Object> found;
    Object[] names;
    Object[] types;
    try {
      found =
          Sql.row(
              db,
              "SELECT Prompt AS prompt, list_transform(Columns, c -> c.name) AS names,"
                  + " list_transform(Columns, c -> c.type) AS types FROM sniff_csv("
                  + Sql.literal(files.get(0).toAbsolutePath().toString())
                  + ", header = true, buffer_size = "
                  + CSV_BUFFER_BYTES
                  + dialect(cfg)
                  + ")");
      names = (Object[]) ((java.sql.Array) found.get("names")).getArray();
      types = (Object[]) ((java.sql.Array) found.get("types")).getArray();
    } catch (SQLException e) {
      throw TaskFailure.nonRetryable("cannot read " + files.get(0) + ": " + firstLine(e), e);
    }
    // "FROM read_csv('file', auto_detect=false, delim=',', ..., columns={...});"
    String prompt = String.valueOf(found.get("prompt"));
    int from = prompt.indexOf("read_csv(");
    int to = prompt.lastIndexOf(')');
    if (from < 0 || to < from) {
      return null; // a form this version does not know: DuckDB sniffs again
    }
    String scan = prompt.substring(from, to);
    Map<String, String> columns = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      columns.put(String.valueOf(names[i]), String.valueOf(types[i]));
    }
    // the sniffer judged these from a sample: read as text in the call it wrote, each value checked
    Map<String, String> wholeNumbers = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : sampledWholeNumbers(cfg, columns, files).entrySet()) {
      String spec = Sql.literal(c.getKey()) + ": " + Sql.literal(c.getValue());
      if (scan.contains(spec)) {
        scan = scan.replace(spec, Sql.literal(c.getKey()) + ": 'VARCHAR'");
        wholeNumbers.put(c.getKey(), c.getValue());
      }
    }
    scan =
        scan
            + ", buffer_size = "
            + CSV_BUFFER_BYTES
            + (quarantines(cfg) ? ", store_rejects = true" : "")
            + ")";
    return new Sniffed(scan, columns, wholeNumbers);
  }

  /**
   * Column {@code name}, read as text, as the whole-number {@code type} the sniffer gave it. A
   * value with a fraction (a '.' or an exponent, and not whole) fails the copy naming the column,
   * the value and the fix; text that is no number at all fails DuckDB's own cast.
   */
  private static String checkedAs(String name, String type, boolean namesFile) {
    String col = Sql.ident(name);
    String number = "TRY_CAST(" + col + " AS DOUBLE)";
    return "CASE WHEN (contains("
        + col
        + ", '.') OR contains(lower("
        + col
        + "), 'e')) AND "
        + number
        + " <> floor("
        + number
        + ") THEN error("
        + Sql.literal(
            "column '"
                + name
                + "' looked like whole numbers in the rows DuckDB sampled to type it, but holds '")
        + " || "
        + col
        + " || "
        + Sql.literal("' further down")
        + (namesFile ? " || ' in ' || " + Sql.ident(SOURCE_FILE) : "")
        + " || "
        + Sql.literal("; declare its type, e.g. schema: {" + name + ": DOUBLE}, and ingest again")
        + ") ELSE CAST("
        + col
        + " AS "
        + type
        + ") END";
  }

  private static Map<String, String> readColumns(Connection db, String scan, List<Path> files) {
    try {
      return Sql.columns(db, "SELECT * FROM " + scan);
    } catch (SQLException e) {
      throw TaskFailure.nonRetryable("cannot read " + files.get(0) + ": " + firstLine(e), e);
    }
  }

  private static void checkDelimiter(Map<String, String> columns, String format, Path file) {
    if (!format.equals("csv") || columns.size() != 1) {
      return;
    }
    String only = columns.keySet().iterator().next();
    for (String d : List.of(";", "\t", "|", ",")) {
      if (only.contains(d)) {
        throw TaskFailure.nonRetryable(
            file
                + ": every field landed in one column '"
                + only
                + "'; the delimiter looks like '"
                + (d.equals("\t") ? "\\t" : d)
                + "': set delimiter in the task config");
      }
    }
  }

  /**
   * The columns to write; those in {@code wholeNumbers} arrive as text, checked ({@link
   * #checkedAs}).
   */
  private static Select select(
      Map<String, Object> cfg,
      Map<String, String> found,
      Map<String, String> wholeNumbers,
      boolean namesFile) {
    String ts = (String) cfg.get("timestamp_column");
    String symbolCol = (String) cfg.get("symbol_column");
    Configs.requireColumns(found, "the data", "timestamp_column", ts, "symbol_column", symbolCol);
    List<String> cols = new ArrayList<>();
    boolean text = false;
    for (Map.Entry<String, String> c : found.entrySet()) {
      String name = c.getKey();
      String col = Sql.ident(name);
      // the time becomes a TIMESTAMP and a checked whole number its type; the rest stay as read
      text |= !name.equals(ts) && !wholeNumbers.containsKey(name) && Sql.isText(c.getValue());
      cols.add(
          name.equals(ts)
              ? toUtc(cfg, name, c.getValue()) + " AS " + col
              : wholeNumbers.containsKey(name)
                  ? checkedAs(name, wholeNumbers.get(name), namesFile) + " AS " + col
                  : col);
    }
    Object symbol = cfg.get("symbol");
    if (symbol != null && symbolCol == null) {
      cols.add(Sql.literal(String.valueOf(symbol)) + " AS symbol");
      text = true;
    }
    return new Select(String.join(", ", cols), text);
  }

  /** The select list of the copy, and whether what it writes holds text (a symbol, a venue). */
  private record Select(String columns, boolean text) {}

  /** The timestamp column as a naive TIMESTAMP in UTC, whatever form it arrives in. */
  private static String toUtc(Map<String, Object> cfg, String column, String type) {
    String col = Sql.ident(column);
    String zone = Sql.literal(Configs.string(cfg, "timezone", "UTC"));
    String format = (String) cfg.get("timestamp_format");
    String upper = type.toUpperCase(Locale.ROOT);
    if (upper.startsWith("TIMESTAMP WITH TIME ZONE")) {
      return "timezone('UTC', " + col + ")";
    }
    if (format != null) {
      return "timezone('UTC', timezone("
          + zone
          + ", strptime("
          + col
          + "::VARCHAR, "
          + Sql.literal(format)
          + ")))";
    }
    boolean utc = Configs.string(cfg, "timezone", "UTC").equalsIgnoreCase("UTC");
    String local =
        utc
            ? "CAST(" + col + " AS TIMESTAMP)"
            : "timezone('UTC', timezone(" + zone + ", CAST(" + col + " AS TIMESTAMP)))";
    if (upper.equals("VARCHAR")) {
      // text with an offset or Z is an instant; text without one is local time in the zone
      return "CASE WHEN regexp_matches("
          + col
          + ", '(Z|[+-][0-9]{2}:?[0-9]{2})$') THEN"
          + " timezone('UTC', CAST("
          + col
          + " AS TIMESTAMPTZ)) ELSE "
          + local
          + " END";
    }
    return local;
  }

  private static List<Map<String, Object>> describe(List<Path> files) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path f : files) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", f.toAbsolutePath().toString());
      try {
        m.put("size_bytes", Files.size(f));
      } catch (java.io.IOException e) {
        m.put("size_bytes", null);
      }
      m.put("content_hash", FileHashes.of(f));
      out.add(m);
    }
    return out;
  }

  private static List<Map<String, Object>> columnList(Map<String, String> columns) {
    List<Map<String, Object>> out = new ArrayList<>();
    columns.forEach((k, v) -> out.add(Json.ordered("name", k, "type", v)));
    return out;
  }

  /**
   * Why the time column could not be read, after the copy failed: the first value that is no
   * timestamp (as text, or not in {@code timestamp_format}), with its line in a single file, and
   * what to do. Null when the column arrived typed (DuckDB's CSV reader then names the line itself)
   * or every value reads.
   */
  private static String badTimestamp(
      Connection db,
      Map<String, Object> cfg,
      String scan,
      String column,
      String type,
      List<Path> files) {
    String format = (String) cfg.get("timestamp_format");
    if (format == null && !"VARCHAR".equalsIgnoreCase(type)) {
      return null;
    }
    String value = "CAST(" + Sql.ident(column) + " AS VARCHAR)";
    String unreadable =
        format != null
            ? "try_strptime(v, " + Sql.literal(format) + ") IS NULL"
            : "TRY_CAST(v AS TIMESTAMP) IS NULL AND TRY_CAST(v AS TIMESTAMPTZ) IS NULL";
    Map<String, Object> first;
    try {
      Sql.exec(db, "SET threads = 1"); // rows in file order, to count lines
      first =
          Sql.rows(
                  db,
                  "SELECT n, v FROM (SELECT row_number() OVER () AS n, "
                      + value
                      + " AS v FROM "
                      + scan
                      + ") WHERE v IS NOT NULL AND "
                      + unreadable
                      + " LIMIT 1")
              .stream()
              .findFirst()
              .orElse(null);
    } catch (SQLException e) {
      return null; // DuckDB's own message stands
    }
    if (first == null) {
      return null;
    }
    return "timestamp_column '"
        + column
        + "' holds '"
        + first.get("v")
        + "'"
        + (files.size() == 1 && formatOf(files.get(0)).equals("csv")
            ? " on line " + (((Number) first.get("n")).longValue() + 1)
            : "")
        + ", which is not "
        + (format != null
            ? "in timestamp_format '" + format + "'"
            : "a timestamp (YYYY-MM-DD, optionally with HH:MM:SS[.ffffff] and an offset or Z)")
        + ": fix or remove that row, or "
        + (format != null
            ? "correct timestamp_format"
            : "give the column's format, e.g. timestamp_format: '%d/%m/%Y %H:%M'");
  }

  private static final Pattern CONVERTING = Pattern.compile("when converting column \"([^\"]+)\"");

  /** What to do about a value DuckDB could not convert to its column's type, or nothing. */
  private static String fix(SQLException e) {
    var m = CONVERTING.matcher(String.valueOf(e.getMessage()));
    if (!m.find()) {
      return "";
    }
    String column = m.group(1);
    return ": fix or remove that row, or read the column as text (schema: {"
        + column
        + ": VARCHAR}) and clean it in a later task";
  }

  /**
   * The CSV rows DuckDB could not read ({@code store_rejects}): how many, and the first as "line N
   * of FILE: error".
   */
  private record Rejected(long rows, String first) {
    static final Rejected NONE = new Rejected(0, null);

    /** The copy's rejected rows, written to {@code file} in file and line order when any. */
    static Rejected write(Connection db, Path file) throws SQLException {
      String errors =
          "(SELECT s.file_path AS file, CAST(e.line AS BIGINT) AS line, e.column_name AS \"column\", e.error_type AS"
              + " error, e.error_message AS message, e.csv_line AS line_text FROM reject_errors e"
              + " JOIN reject_scans s USING (scan_id, file_id))";
      Map<String, Object> summary =
          Sql.row(
              db,
              "SELECT count(DISTINCT (file, line)) AS n, arg_min('line ' || line || ' of ' || file"
                  + " || ': ' || message, (file, line)) AS first FROM "
                  + errors);
      long n = ((Number) summary.get("n")).longValue();
      if (n == 0) {
        return NONE;
      }
      Dataset.writeParquet(db, "SELECT * FROM " + errors + " ORDER BY file, line", file, true);
      return new Rejected(n, (String) summary.get("first"));
    }

    /** Fails the task when more than {@code maxRate} of the rows were rejected. */
    void enforce(String pattern, long goodRows, double maxRate) {
      long all = goodRows + rows;
      double rate = all == 0 ? 0 : (double) rows / all;
      if (rate > maxRate) {
        throw TaskFailure.nonRetryable(
            String.format(
                Locale.ROOT,
                "%d of %d rows of %s could not be read (%.2f%%), above max_bad_row_rate %.2f%%;"
                    + " the first: %s",
                rows,
                all,
                pattern,
                rate * 100,
                maxRate * 100,
                first));
      }
    }
  }

  /** DuckDB's message without the SQL excerpt and caret it adds to some errors. */
  static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.lines()
        .filter(l -> !l.isBlank() && !l.startsWith("LINE ") && !l.strip().equals("^"))
        .limit(3)
        .collect(Collectors.joining(" "));
  }
}
