package io.alphaflow.quant.synthetic;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Dataset;
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
public final class SyntheticOrderflowTask implements QuantTask {
  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys("rows", "seed", "signal", "format", "interval", "start");
  }

  @Override
  public String type() {
    return "synthetic_orderflow";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new java.util.ArrayList<>(Configs.required(config, "rows", "rows: 1000000"));
    problems.addAll(
        Configs.integerInProblem("rows", config.get("rows"), 1, Long.MAX_VALUE, "rows: 1000000"));
    problems.addAll(Configs.wholeNumber(config, "seed", "seed: 42"));
    problems.addAll(Dataset.formatProblem(config));
    problems.addAll(Configs.fractionProblem("signal", config.get("signal")));
    Object interval = config.get("interval");
    if (interval != null
        && !Configs.resolvesLater(interval)
        && !INTERVAL.matcher(String.valueOf(interval).trim()).matches()) {
      problems.add(
          new ConfigProblem(
              "interval",
              "interval is a count and a unit, was '" + interval + "'",
              "interval: 1 minute (units: microsecond, millisecond, second, minute, hour, day)"));
    }
    Object start = config.get("start");
    if (start != null && !Configs.resolvesLater(start) && !isTime(String.valueOf(start).trim())) {
      problems.add(
          new ConfigProblem(
              "start",
              "start is a date or a date and time, was '" + start + "'",
              "start: \"2023-01-01 09:30:00\""));
    }
    return problems;
  }

  private static final java.util.regex.Pattern INTERVAL =
      java.util.regex.Pattern.compile(
          "\\d+(\\.\\d+)?\\s*(microsecond|millisecond|second|minute|hour|day)s?");

  private static boolean isTime(String s) {
    try {
      java.time.LocalDateTime.parse(s.replace(' ', 'T'));
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      try {
        java.time.LocalDate.parse(s);
        return true;
      } catch (java.time.format.DateTimeParseException e2) {
        return false;
      }
    }
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
      double signal = Configs.number(cfg, "signal", 0.0);
      if (!(signal >= 0 && signal <= 1)) {
        throw TaskFailure.nonRetryable("signal must be between 0 and 1, was " + signal);
      }
      String query = query(rows, seed, start, interval, signal);
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
    meta.put("signal", Configs.number(cfg, "signal", 0.0));
    meta.put("start", start);
    meta.put("interval", interval);
    meta.put("file", out.getFileName().toString());
    Json.write(ctx.outputDir().resolve("metadata.json"), meta);
    ctx.output("rows", Long.toString(rows));
    ctx.output("file", out.getFileName().toString());
  }

  /**
   * The generating query; uniform draws from a 64-bit hash of (seed, row, column). With {@code
   * signal} > 0 each rate mixes in that share of a slow cycle (period 50 to 250 rows, phase from
   * the seed), so the recent past predicts the next value as in real order flow; 0 is pure noise.
   */
  static String query(long rows, long seed, String start, String interval, double signal) {
    return "SELECT TIMESTAMP "
        + Sql.literal(start)
        + " + i * INTERVAL "
        + Sql.literal(interval)
        + " AS timestamp, "
        + uniform(seed, 1, 0.3, 0.7, signal)
        + " AS S_LI_INITIATIVEBUYRATE, "
        + uniform(seed, 2, 0.3, 0.7, signal)
        + " AS S_LI_INITIATIVESELLRATE, "
        + uniform(seed, 3, 0.1, 0.3, signal)
        + " AS S_LI_LARGEBUYRATE, "
        + uniform(seed, 4, 0.1, 0.3, signal)
        + " AS S_LI_LARGESELLRATE "
        + "FROM range("
        + rows
        + ") t(i)";
  }

  /**
   * Every constant is cast to DOUBLE: DuckDB reads a literal such as 0.39999999999999997 as a
   * 17-digit DECIMAL, and its 128-bit arithmetic made generating six times slower.
   */
  private static String uniform(long seed, int column, double lo, double hi, double signal) {
    String noise = "((hash(i, " + seed + ", " + column + ") % 1000000007) / 1000000007.0::DOUBLE)";
    String u =
        signal == 0
            ? noise
            : "("
                + (1 - signal)
                + "::DOUBLE * "
                + noise
                + " + "
                + signal
                + "::DOUBLE * (0.5 + 0.5 * sin(2 * pi() * i / "
                + (50 + Math.floorMod(seed * 31 + column * 17, 200))
                + " + "
                + Math.floorMod(seed * 7 + column, 628) / 100.0
                + ")))";
    return "round(" + lo + "::DOUBLE + " + (hi - lo) + "::DOUBLE * " + u + ", 9)";
  }
}
