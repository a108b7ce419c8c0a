package io.alphaflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * A floor under the seed 000 pipeline: the least work DuckDB alone, with no engine around it, must
 * do for the artifacts the flow writes. bench/pipeline sets the speed targets of issues #4 and #6
 * against it in the same run, so a target below the floor shows as such.
 *
 * <ol>
 *   <li>{@code open}: load DuckDB's native library and open an in-memory database.
 *   <li>{@code csv_parse}: parse every column of the CSV (an aggregate per column, nothing
 *       written).
 *   <li>{@code ingest}: the CSV to Parquet, as is: what the ingest artifact costs at the least.
 *   <li>{@code features}: seed 000's three row-wise factors from that Parquet, written alone (as
 *       alphaflow writes only the columns a task adds). Its two 5-row means are left out: any plan
 *       computing them only adds time, so this is a lower bound for the features artifact whichever
 *       way a task computes its windows.
 *   <li>{@code label}: the target alone, a row-wise copy (the lead() left out).
 *   <li>{@code train}: one scan summing the five training features and the target across the three
 *       files side by side (a positional join, as alphaflow's tasks read them), less than any fit
 *       needs.
 * </ol>
 *
 * <p>Validate and evaluate are left out, so the sum is a generous floor for the whole flow. Each
 * query runs twice and the faster time counts (the first run warms the page cache). Usage: {@code
 * PipelineFloor CSV WORKDIR}; prints one JSON line.
 */
public final class PipelineFloor {
  private static final String BUY = "\"S_LI_INITIATIVEBUYRATE\"";
  private static final String SELL = "\"S_LI_INITIATIVESELLRATE\"";

  private PipelineFloor() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: PipelineFloor CSV WORKDIR");
      System.exit(2);
    }
    Path csv = Path.of(args[0]);
    Path work = Files.createDirectories(Path.of(args[1]));
    String ingest = literal(work.resolve("ingest.parquet"));
    String features = literal(work.resolve("features.parquet"));
    String label = literal(work.resolve("label.parquet"));

    long t0 = System.nanoTime();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      double open = (System.nanoTime() - t0) / 1e9;
      String source = "read_csv(" + literal(csv) + ")";
      double parse = best(s, "SELECT count(*), min(COLUMNS(*)) FROM " + source);
      double ingestS = best(s, copy("SELECT * FROM " + source, ingest));
      double featuresS =
          best(
              s,
              copy(
                  "SELECT "
                      + String.join(", ", seed000RowWiseFactors())
                      + " FROM read_parquet("
                      + ingest
                      + ")",
                  features));
      double labelS =
          best(
              s,
              copy(
                  "SELECT " + SELL + " AS next_sell_rate FROM read_parquet(" + ingest + ")",
                  label));
      double trainS =
          best(
              s,
              "SELECT sum("
                  + BUY
                  + "), sum(S_LI_LARGEBUYRATE), sum(S_LI_LARGESELLRATE), sum(buy_sell_ratio),"
                  + " sum(large_order_imbalance), sum(next_sell_rate) FROM read_parquet("
                  + ingest
                  + ") POSITIONAL JOIN read_parquet("
                  + features
                  + ") POSITIONAL JOIN read_parquet("
                  + label
                  + ")");
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"bench\": \"pipeline_floor\", \"engine\": \"duckdb alone\", \"open_s\": %.3f,"
                  + " \"csv_parse_s\": %.3f, \"ingest_s\": %.3f, \"features_s\": %.3f,"
                  + " \"label_s\": %.3f, \"train_s\": %.3f}",
              open,
              parse,
              ingestS,
              featuresS,
              labelS,
              trainS));
    }
  }

  /** Seed 000's row-wise factors as bare SQL (its moving averages left out: see the class). */
  private static List<String> seed000RowWiseFactors() {
    return List.of(
        BUY + " / (" + SELL + " + 1e-8) AS buy_sell_ratio",
        "S_LI_LARGEBUYRATE - S_LI_LARGESELLRATE AS large_order_imbalance",
        "CAST(" + BUY + " + " + SELL + " > 0.7 AS INTEGER) AS high_activity");
  }

  private static String copy(String query, String file) {
    return "COPY (" + query + ") TO " + file + " (FORMAT parquet)";
  }

  private static double best(Statement s, String sql) throws SQLException {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 2; i++) {
      long t = System.nanoTime();
      s.execute(sql);
      best = Math.min(best, (System.nanoTime() - t) / 1e9);
    }
    return best;
  }

  private static String literal(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
