package io.alphaflow.quant.data;

import io.alphaflow.core.task.TaskFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

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
}
