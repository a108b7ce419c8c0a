package io.alphaflow.quant.data;

import io.alphaflow.core.task.TaskFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a quant task reads its input: a Parquet or CSV file, or the output directory of an upstream
 * quant task (its {@code data.parquet}).
 */
public final class Dataset {
  public static final String DATA_FILE = "data.parquet";
  public static final String METADATA_FILE = "metadata.json";

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

  /** A DuckDB table expression reading {@code file}. */
  public static String scan(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String path = Sql.literal(file.toAbsolutePath().toString());
    if (name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".tsv")) {
      return "read_csv(" + path + ", header = true)";
    }
    return "read_parquet(" + path + ")";
  }

  /** Writes {@code query} to {@code file} as Parquet (snappy: quick to write and read). */
  public static void writeParquet(java.sql.Connection c, String query, Path file)
      throws java.sql.SQLException {
    Sql.exec(
        c,
        "COPY ("
            + query
            + ") TO "
            + Sql.literal(file.toAbsolutePath().toString())
            + " (FORMAT parquet, COMPRESSION snappy)");
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
}
