package io.alphaflow.quant.data;

import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.TaskFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a quant task reads its input: a Parquet or CSV file, or the output directory of an upstream
 * quant task (its {@code data.parquet}).
 *
 * <p>A dataset may hold only the columns a task adds to its input's rows (a label, say), row for
 * row, with its metadata naming that input under {@link #ADDS_COLUMNS_TO}. {@link #scan} then reads
 * the input's columns and its own side by side (a positional join), so downstream tasks see whole
 * rows while the task wrote, and the disk holds, only what is new.
 */
public final class Dataset {
  public static final String DATA_FILE = "data.parquet";
  public static final String METADATA_FILE = "metadata.json";

  /** The metadata the {@code features} task writes beside its data. */
  public static final String FEATURE_METADATA_FILE = "feature_metadata.json";

  /** The metadata files a task may write beside its data, in the order they are consulted. */
  public static final List<String> METADATA_FILES = List.of(METADATA_FILE, FEATURE_METADATA_FILE);

  /**
   * The metadata key of a dataset that adds columns to another's rows: {@code {path, bytes, rows}}
   * of that input's data file, as it was when the columns were computed.
   */
  public static final String ADDS_COLUMNS_TO = "adds_columns_to";

  private Dataset() {}

  /** The data file for {@code input}; fails naming the path when there is none. */
  public static Path resolve(String input) {
    Path p = Path.of(input);
    if (Files.isDirectory(p)) {
      p = p.resolve(DATA_FILE);
    }
    if (!Files.isRegularFile(p)) {
      throw TaskFailure.nonRetryable(
          "input "
              + input
              + " does not exist (expected a .parquet or .csv file, or the output"
              + " directory of an upstream task holding "
              + DATA_FILE
              + ")");
    }
    return p;
  }

  /**
   * The metadata file {@code name} written beside {@code dataFile}: {@code name} itself beside a
   * task's {@code data.parquet}, {@code <stem>.<name>} beside any other file (as {@code alphaflow
   * task --output x.parquet} places it).
   */
  public static Path metadataFile(Path dataFile, String name) {
    String file = dataFile.getFileName().toString();
    if (file.equals(DATA_FILE)) {
      return dataFile.resolveSibling(name);
    }
    int dot = file.lastIndexOf('.');
    return dataFile.resolveSibling((dot > 0 ? file.substring(0, dot) : file) + "." + name);
  }

  /** The {@link #METADATA_FILE} beside {@code dataFile}, or an empty map when there is none. */
  public static Map<String, Object> metadata(Path dataFile) {
    return metadata(dataFile, METADATA_FILE);
  }

  /** The metadata file {@code name} beside {@code dataFile}, or an empty map when there is none. */
  public static Map<String, Object> metadata(Path dataFile, String name) {
    Path meta = metadataFile(dataFile, name);
    try {
      return Files.isRegularFile(meta) ? Json.read(meta) : Map.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + meta + ": " + e.getMessage(), e);
    }
  }

  /**
   * The first of the metadata files a task writes beside its data ({@code metadata.json}, or {@code
   * feature_metadata.json} for {@code features}) that holds {@code key}, as a map; empty when none
   * does.
   */
  public static Map<String, Object> metadataWith(Path dataFile, String key) {
    for (String name : METADATA_FILES) {
      Map<String, Object> m = metadata(dataFile, name);
      if (m.containsKey(key)) {
        return m;
      }
    }
    return Map.of();
  }

  /** The problem with a task's {@code format} (a file format it reads or writes), or nothing. */
  public static List<ConfigProblem> formatProblem(Map<String, Object> config) {
    return Configs.oneOf(
        "format", "format", config.get("format"), List.of("csv", "parquet"), "use csv or parquet");
  }

  /**
   * A DuckDB table expression reading {@code file}: with the rows of the input it adds columns to,
   * when its metadata names one (see the class).
   */
  public static String scan(Path file) {
    return scan(file, null);
  }

  /** Rows {@code from} (inclusive) to {@code to} (exclusive), counted from a file's first. */
  public record RowRange(long from, long to) {}

  /**
   * {@link #scan} of only the rows in {@code range} (all rows when null). Parquet files only
   * ({@link #rangeable}): DuckDB then reads only the row groups that hold them, so scans of
   * disjoint ranges can run side by side ({@link Duck#parallel}).
   */
  public static String scan(Path file, RowRange range) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String path = Sql.literal(file.toAbsolutePath().toString());
    if (isCsv(name)) {
      if (range != null) {
        throw new IllegalArgumentException("a CSV file cannot be read by row range: " + file);
      }
      return "read_csv(" + path + ", header = true)";
    }
    Map<?, ?> base = inputEntry(file);
    if (base == null) {
      return own(path, range);
    }
    Path input = Path.of(String.valueOf(base.get("path")));
    if (!Files.isRegularFile(input)) {
      throw TaskFailure.nonRetryable(
          file
              + " holds only the columns its task added to the rows of "
              + input
              + ", which is gone (deleted, or moved): rerun the task that wrote "
              + file
              + " (and its upstream tasks) to rebuild both");
    }
    long bytes = size(input);
    if (base.get("bytes") instanceof Number expected && expected.longValue() != bytes) {
      throw TaskFailure.nonRetryable(
          file
              + " adds columns to the rows of "
              + input
              + ", which has changed since ("
              + bytes
              + " bytes, was "
              + expected
              + "): rerun the task that wrote "
              + file);
    }
    return beside(input, file, range);
  }

  /** The rows of {@code file}, which holds columns added to {@code input}'s rows, beside them. */
  private static String beside(Path input, Path file, RowRange range) {
    return "(SELECT * FROM " + scan(input, range) + " POSITIONAL JOIN " + own(file, range) + ")";
  }

  /**
   * The columns a Parquet file holds itself, without those of any input it adds columns to, in
   * {@code range} (all rows when null).
   */
  public static String own(Path file, RowRange range) {
    return own(Sql.literal(file.toAbsolutePath().toString()), range);
  }

  private static String own(String path, RowRange range) {
    return range == null
        ? "read_parquet(" + path + ")"
        : "(SELECT * EXCLUDE (file_row_number) FROM read_parquet("
            + path
            + ", file_row_number = true) WHERE file_row_number >= "
            + range.from()
            + " AND file_row_number < "
            + range.to()
            + ")";
  }

  private static boolean isCsv(String lowerCaseName) {
    return lowerCaseName.endsWith(".csv")
        || lowerCaseName.endsWith(".csv.gz")
        || lowerCaseName.endsWith(".tsv");
  }

  /** Rows per part of {@link #parts}, at least: enough for a part's scan to dwarf its planning. */
  public static final long PART_ROWS = 1 << 18;

  /**
   * Parts of a file, at most. Every part's scan reads the footers of the files it joins, and they
   * grow with the file: at 100M rows the three files a label is trained from took 0.03 s more a
   * scan than at 10M, so 382 parts spent longer on footers than on rows (the parts of 100M rows on
   * 2 cores: 12.9 s in parts of 262,144 rows, 5.4 s in 48 of 2,097,152).
   */
  public static final int MAX_PARTS = 64;

  /**
   * {@code file}'s {@code rows} as consecutive ranges of {@code partRows} rows, doubled until there
   * are at most {@link #MAX_PARTS}, for scans side by side; none when one scan of all rows will do
   * (few rows, or a CSV file, which cannot be read by row range). The ranges depend only on the row
   * count, so sums merged in their order are the same on any machine.
   */
  public static List<RowRange> parts(Path file, long rows, long partRows) {
    long size = partRows;
    while (Math.ceilDiv(rows, size) > MAX_PARTS) {
      size *= 2;
    }
    List<RowRange> out = new ArrayList<>();
    if (rows > size && rangeable(file)) {
      for (long from = 0; from < rows; from += size) {
        out.add(new RowRange(from, Math.min(from + size, rows)));
      }
    }
    return List.copyOf(out);
  }

  /**
   * Whether {@link #scan(Path, RowRange)} can read {@code file} by row range: Parquet all along.
   */
  public static boolean rangeable(Path file) {
    for (Path f = file; f != null; f = input(f).orElse(null)) {
      if (isCsv(f.getFileName().toString().toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The files {@link #scan} reads for {@code file}, the inputs it adds columns to first (checked as
   * scan checks them).
   */
  public static List<Path> files(Path file) {
    scan(file); // fails naming a missing or changed input
    List<Path> chain = new ArrayList<>();
    for (Path f = file; f != null; f = input(f).orElse(null)) {
      chain.addFirst(f);
    }
    return chain;
  }

  /**
   * The content hash of the rows {@link #scan} reads: the file's own, or, for a file adding columns
   * to an input, the SHA-256 of every file's hash, input first, one per line (train's data hash
   * then covers the features a model learnt from, not only its labels).
   */
  public static String contentHash(Path file) {
    List<Path> chain = files(file);
    if (chain.size() == 1) {
      return FileHashes.of(file);
    }
    StringBuilder hashes = new StringBuilder();
    for (Path f : chain) {
      hashes.append(FileHashes.of(f)).append('\n');
    }
    return ContentHash.sha256Hex(hashes.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The file whose rows a task's output directory adds columns to ({@link #ADDS_COLUMNS_TO}), if it
   * does: what {@code alphaflow gc} must keep while that output is kept.
   */
  public static Optional<Path> readsRowsOf(Path outputDir) {
    return input(outputDir.resolve(DATA_FILE));
  }

  /** The data file {@code dataFile} adds columns to, if it does. */
  private static Optional<Path> input(Path dataFile) {
    Map<?, ?> base = inputEntry(dataFile);
    return base == null ? Optional.empty() : Optional.of(Path.of(String.valueOf(base.get("path"))));
  }

  /** The {@link #ADDS_COLUMNS_TO} entry of {@code dataFile}'s metadata, or null. */
  private static Map<?, ?> inputEntry(Path dataFile) {
    return metadataWith(dataFile, ADDS_COLUMNS_TO).get(ADDS_COLUMNS_TO) instanceof Map<?, ?> m
        ? m
        : null;
  }

  /** The {@link #ADDS_COLUMNS_TO} entry for a dataset adding columns to {@code input}'s rows. */
  public static Map<String, Object> addsColumnsTo(Path input, long rows) {
    Map<String, Object> base = new LinkedHashMap<>();
    base.put("path", input.toAbsolutePath().toString());
    base.put("bytes", size(input));
    base.put("rows", rows);
    return base;
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code query} to {@code file} as Parquet: zstd over format 2 pages, which store a
   * double's bytes split by position (BYTE_STREAM_SPLIT). Market data's doubles barely compress
   * with snappy; this way the files are a quarter smaller (10M rows of seed 000: 823 → 623 MB per
   * run) for the same time, and a run on a busy disk waits less on writing them back. Both are in
   * the Parquet format's specification; only DuckDB's reading them is tested here.
   *
   * <p>A file with no text column is written without dictionaries. DuckDB tries one for every
   * column chunk and gives up only once it holds a fifth of the chunk's rows, which measured values
   * and timestamps always reach: the trial cost 0.1–0.2 s per 10M-row file of seed 000 (an eighth
   * of the features' write) and saved no byte. Text (a symbol, a venue) keeps them: there a
   * dictionary is most of the compression and speeds up reading.
   */
  public static void writeParquet(java.sql.Connection c, String query, Path file)
      throws java.sql.SQLException {
    Sql.exec(c, parquetCopy(c, query, file));
  }

  /**
   * {@link #writeParquet} for a caller that knows whether the rows hold {@code text}: no DESCRIBE,
   * which for a CSV read DuckDB types itself would sniff the file again.
   */
  public static void writeParquet(java.sql.Connection c, String query, Path file, boolean text)
      throws java.sql.SQLException {
    Sql.exec(c, parquetCopy(query, file, text));
  }

  /** The statement {@link #writeParquet} runs, for statements run side by side. */
  public static String parquetCopy(java.sql.Connection c, String query, Path file)
      throws java.sql.SQLException {
    boolean text =
        Sql.columns(c, "SELECT * FROM (" + query + ")").values().stream().anyMatch(Sql::isText);
    return parquetCopy(query, file, text);
  }

  private static String parquetCopy(String query, Path file, boolean text) {
    return "COPY ("
        + query
        + ") TO "
        + Sql.literal(file.toAbsolutePath().toString())
        + " (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V2"
        + (text ? "" : ", DICTIONARY_SIZE_LIMIT 1")
        + ")";
  }

  /** Rows in a Parquet file, from its footer. */
  public static long rows(java.sql.Connection c, Path file) throws java.sql.SQLException {
    Object n =
        Sql.row(
                c,
                "SELECT sum(num_rows) AS n FROM parquet_file_metadata("
                    + Sql.literal(file.toAbsolutePath().toString())
                    + ")")
            .get("n");
    return ((Number) n).longValue();
  }

  /**
   * The share of NULLs in each of {@code columns} of a Parquet file, from the null counts in its
   * footer (no scan); null for a column whose row groups do not all count theirs (DuckDB's writer
   * always does).
   */
  public static Map<String, Double> nullRates(
      java.sql.Connection c, Path file, long rows, List<String> columns)
      throws java.sql.SQLException {
    Map<String, Long> counted = new java.util.HashMap<>();
    for (Map<String, Object> r :
        Sql.rows(
            c,
            "SELECT path_in_schema AS col, sum(stats_null_count) AS nulls,"
                + " bool_and(stats_null_count IS NOT NULL) AS known FROM parquet_metadata("
                + Sql.literal(file.toAbsolutePath().toString())
                + ") GROUP BY path_in_schema")) {
      if (Boolean.TRUE.equals(r.get("known"))) {
        counted.put((String) r.get("col"), ((Number) r.get("nulls")).longValue());
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    for (String col : columns) {
      Long nulls = counted.get(col);
      out.put(col, nulls == null ? null : rows == 0 ? 0.0 : (double) nulls / rows);
    }
    return out;
  }
}
