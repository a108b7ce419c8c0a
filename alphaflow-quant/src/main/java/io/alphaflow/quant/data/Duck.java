package io.alphaflow.quant.data;

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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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

  private Duck() {}

  public static Connection open(Map<String, Object> config) {
    try {
      Connection c = DriverManager.getConnection("jdbc:duckdb:");
      Path spill = Files.createTempDirectory("alphaflow-duckdb-");
      spill.toFile().deleteOnExit();
      String limit =
          String.valueOf(
              config.getOrDefault(
                  "memory_limit",
                  System.getenv()
                      .getOrDefault("ALPHAFLOW_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)));
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
