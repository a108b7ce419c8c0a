package io.alphaflow.quant;

import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.store.memory.InMemoryStore;
import io.alphaflow.core.testkit.TestFlows;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/** Runs quant flows on the real engine (in-memory store, real DuckDB) and reads their outputs. */
final class QuantRuns {
  private final Path home;
  private RunResult last;

  QuantRuns(Path home) {
    this.home = home;
  }

  /** The market data sets in examples/data, by name, from the module directory tests run in. */
  static Path data(String file) {
    return Path.of("..", "examples", "data", file).toAbsolutePath().normalize();
  }

  RunResult run(String yaml) {
    return run(yaml, Map.of());
  }

  RunResult run(String yaml, Map<String, String> params) {
    Flow flow = TestFlows.parse(yaml);
    try (InMemoryStore store = new InMemoryStore();
        Engine engine = Engine.builder(store).tasks(TestFlows.registry()).home(home).build()) {
      last = engine.run(flow, params);
      return last;
    }
  }

  TaskRunRecord task(String id) {
    return last.tasks().stream().filter(t -> t.taskId().equals(id)).findFirst().orElseThrow();
  }

  Path out(String taskId) {
    return home.resolve("outputs").resolve(last.runId()).resolve(taskId);
  }

  /** Rows of a query over the outputs (use {@code '<task>'} placeholders via {@link #file}). */
  static List<Map<String, Object>> query(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      return Sql.rows(c, sql);
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }

  /** Runs a statement on a DuckDB of its own (writing a test's input file). */
  static void exec(String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      Sql.exec(c, sql);
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }

  static Object scalar(String sql) {
    return query(sql).get(0).values().iterator().next();
  }

  String file(String taskId, String name) {
    return "'" + out(taskId).resolve(name) + "'";
  }

  /** A task's output rows as downstream tasks read them ({@link Dataset#scan}). */
  String rows(String taskId) {
    return Dataset.scan(out(taskId).resolve(Dataset.DATA_FILE));
  }
}
