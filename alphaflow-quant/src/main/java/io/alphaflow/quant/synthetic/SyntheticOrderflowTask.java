package io.alphaflow.quant.synthetic;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Type {@code synthetic_orderflow}: seed 000's order-flow schema (timestamp,
 * S_LI_INITIATIVEBUYRATE, S_LI_INITIATIVESELLRATE, S_LI_LARGEBUYRATE, S_LI_LARGESELLRATE) at any
 * row count, one row per {@code interval} from {@code start}, with the same value ranges as the
 * peer's generator. Values come from a hash of (seed, row, column), so a seed always gives the same
 * file, whatever the thread count. Writes {@code data.parquet}, or {@code data.csv} with {@code
 * format: csv}.
 */
public final class SyntheticOrderflowTask implements Task {
  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public String type() {
    return "synthetic_orderflow";
  }

  @Override
  public List<ConfigProblem> validate(Map<String, Object> config) {
    Object format = config.get("format");
    if (format != null && !List.of("csv", "parquet").contains(String.valueOf(format))) {
      return List.of(
          new ConfigProblem("format", "unknown format '" + format + "'", "use csv or parquet"));
    }
    return Configs.required(config, "rows", "rows: 1000000");
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    long rows = Configs.integer(cfg, "rows", 0);
    long seed = Configs.integer(cfg, "seed", 42);
    String start = Configs.string(cfg, "start", "2023-01-01 00:00:00");
    String interval = Configs.string(cfg, "interval", "1 second");
    String format = Configs.string(cfg, "format", "parquet");
    Path out = ctx.outputDir().resolve("data." + format);
    try (Connection db = Duck.open(cfg)) {
      String query = query(rows, seed, start, interval);
      Sql.exec(
          db,
          "COPY ("
              + query
              + ") TO "
              + Sql.literal(out.toAbsolutePath().toString())
              + (format.equals("csv")
                  ? " (FORMAT csv, HEADER true)"
                  : " (FORMAT parquet, COMPRESSION zstd)"));
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("rows", rows);
    meta.put("seed", seed);
    meta.put("start", start);
    meta.put("interval", interval);
    meta.put("file", out.getFileName().toString());
    Json.write(ctx.outputDir().resolve("metadata.json"), meta);
    ctx.output("rows", Long.toString(rows));
    ctx.output("file", out.getFileName().toString());
  }

  /** The generating query; uniform draws from a 64-bit hash of (seed, row, column). */
  static String query(long rows, long seed, String start, String interval) {
    return "SELECT TIMESTAMP "
        + Sql.literal(start)
        + " + i * INTERVAL "
        + Sql.literal(interval)
        + " AS timestamp, "
        + uniform(seed, 1, 0.3, 0.7)
        + " AS S_LI_INITIATIVEBUYRATE, "
        + uniform(seed, 2, 0.3, 0.7)
        + " AS S_LI_INITIATIVESELLRATE, "
        + uniform(seed, 3, 0.1, 0.3)
        + " AS S_LI_LARGEBUYRATE, "
        + uniform(seed, 4, 0.1, 0.3)
        + " AS S_LI_LARGESELLRATE "
        + "FROM range("
        + rows
        + ") t(i)";
  }

  private static String uniform(long seed, int column, double lo, double hi) {
    return "round("
        + lo
        + " + "
        + (hi - lo)
        + " * (hash(i, "
        + seed
        + ", "
        + column
        + ") % 1000000007) / 1000000007.0, 9)";
  }
}
