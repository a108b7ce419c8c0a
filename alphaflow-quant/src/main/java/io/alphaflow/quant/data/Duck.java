package io.alphaflow.quant.data;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.TaskFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * Opens the in-process DuckDB that quant tasks compute with: in memory, with a memory limit and a
 * spill directory, so files larger than memory still work.
 */
public final class Duck {
  /**
   * The default limit; a task's {@code memory_limit} or ALPHAFLOW_DUCKDB_MEMORY_LIMIT overrides.
   */
  public static final String DEFAULT_MEMORY_LIMIT = "1GB";

  private static final String LIMIT_VARIABLE = "ALPHAFLOW_DUCKDB_MEMORY_LIMIT";

  /** A size DuckDB reads as a memory limit: a number and a unit (1GB, 500MB, 4GiB). */
  private static final Pattern SIZE =
      Pattern.compile(
          "(?i)\\s*\\d+(\\.\\d+)?\\s*(b|bytes?|[kmgt]i?b|kilobytes?|megabytes?|gigabytes?"
              + "|terabytes?)\\s*");

  /** Below this DuckDB cannot read a file at all: a limit in kB was meant otherwise. */
  private static final long SMALLEST_LIMIT = 16L << 20;

  private Duck() {}

  /**
   * Problems with DuckDB's settings, {@code memory_limit} and {@code threads}, which every quant
   * task takes; a value a template gives is checked once it resolves.
   */
  public static List<ConfigProblem> problems(Map<String, Object> config) {
    List<ConfigProblem> out = new ArrayList<>();
    Object limit = config.get("memory_limit");
    String why = limit == null || Configs.resolvesLater(limit) ? null : limitProblem(limit);
    if (why != null) {
      out.add(
          new ConfigProblem(
              "memory_limit",
              why,
              "memory_limit: 1GB (also 500MB, 4GiB; the default is " + DEFAULT_MEMORY_LIMIT + ")"));
    }
    out.addAll(
        Configs.integerInProblem(
            "threads",
            config.get("threads"),
            1,
            1024,
            "threads: 2 (DuckDB's default: every core)"));
    return out;
  }

  /**
   * The task's {@code memory_limit}, else {@value #LIMIT_VARIABLE}'s, else {@link
   * #DEFAULT_MEMORY_LIMIT}; the variable's value is checked here, as the flow's load cannot see it.
   */
  private static String memoryLimit(Map<String, Object> config) {
    Object given = config.get("memory_limit");
    String variable = System.getenv(LIMIT_VARIABLE);
    if (given != null || variable == null) {
      return given != null ? String.valueOf(given) : DEFAULT_MEMORY_LIMIT;
    }
    String why = limitProblem(variable);
    if (why != null) {
      throw TaskFailure.nonRetryable(
          why
              + " (from "
              + LIMIT_VARIABLE
              + ": set it to a size such as 1GB, or unset it for the default "
              + DEFAULT_MEMORY_LIMIT
              + ")");
    }
    return variable;
  }

  /** Why {@code limit} is no memory limit DuckDB can work in, or null. */
  private static String limitProblem(Object limit) {
    String text = String.valueOf(limit);
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      return "memory_limit is a size with its unit, such as 1GB, was '" + text + "'";
    }
    double number = Double.parseDouble(text.replaceAll("[^0-9.]", ""));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int power = "bkmgt".indexOf(unit.charAt(0));
    double bytes = number * Math.pow(unit.matches("[kmgt]ib") ? 1024 : 1000, power);
    return bytes < SMALLEST_LIMIT
        ? "memory_limit " + text.strip() + " is too small for DuckDB to read a file in"
        : null;
  }

  /**
   * DuckDB for a task with {@code config}, whose {@code memory_limit} and {@code threads} {@link
   * #problems} has checked.
   */
  public static Connection open(Map<String, Object> config) {
    String limit = memoryLimit(config);
    try {
      Connection c = DriverManager.getConnection("jdbc:duckdb:");
      Path spill = Files.createTempDirectory("alphaflow-duckdb-");
      spill.toFile().deleteOnExit();
      try (Statement s = c.createStatement()) {
        s.execute("SET memory_limit = " + Sql.literal(limit));
        s.execute("SET temp_directory = " + Sql.literal(spill.toString()));
        s.execute("SET preserve_insertion_order = true");
        Object threads = config.get("threads");
        if (threads != null) {
          s.execute("SET threads = " + Integer.parseInt(String.valueOf(threads)));
        }
      }
      return c;
    } catch (SQLException | IOException e) {
      throw TaskFailure.retryable("cannot start DuckDB: " + e.getMessage(), e);
    }
  }

  /**
   * The rows of each of {@code queries}, in the order given (none for a statement such as a COPY),
   * the queries run side by side on connections of their own to {@code db}'s database, as many at
   * once as DuckDB has threads, and each on one thread. Sums over disjoint parts of a file, merged
   * in a fixed order, so come out the same bits on any machine, where one query over the whole file
   * on several threads adds its threads' partial sums in whichever order they finish.
   */
  public static List<List<Map<String, Object>>> parallel(Connection db, List<String> queries)
      throws SQLException {
    int threads = threads(db);
    int workers = Math.max(1, Math.min(queries.size(), threads));
    List<List<Map<String, Object>>> results =
        new ArrayList<>(Collections.nCopies(queries.size(), null));
    AtomicInteger next = new AtomicInteger();
    SQLException[] failure = new SQLException[1];
    List<Thread> running = new ArrayList<>();
    // no helper threads: a query runs on the thread that asked for it alone
    Sql.exec(db, "SET threads = 1");
    try {
      for (int w = 0; w < workers; w++) {
        Connection own = db.unwrap(DuckDBConnection.class).duplicate();
        running.add(
            Thread.ofPlatform()
                .name("duckdb-part-" + w)
                .start(
                    () -> {
                      try (own) {
                        for (int i = next.getAndIncrement();
                            i < queries.size();
                            i = next.getAndIncrement()) {
                          results.set(i, Sql.rowsIfAny(own, queries.get(i)));
                        }
                      } catch (SQLException e) {
                        synchronized (failure) {
                          failure[0] = failure[0] == null ? e : failure[0];
                        }
                        next.set(queries.size()); // the others stop after their current query
                      }
                    }));
      }
      for (Thread t : running) {
        try {
          t.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SQLException("interrupted while DuckDB ran queries side by side", e);
        }
      }
    } finally {
      Sql.exec(db, "SET threads = " + threads);
    }
    if (failure[0] != null) {
      throw failure[0];
    }
    return results;
  }

  /** The first row of {@code sql} (empty for none), computed on one thread ({@link #parallel}). */
  public static Map<String, Object> row(Connection db, String sql) throws SQLException {
    List<Map<String, Object>> rows = parallel(db, List.of(sql)).getFirst();
    return rows.isEmpty() ? Map.of() : rows.getFirst();
  }

  /** The threads DuckDB runs a query on, as {@code db}'s database is set up now. */
  public static int threads(Connection db) throws SQLException {
    return ((Number) Sql.row(db, "SELECT current_setting('threads') AS n").get("n")).intValue();
  }
}
