package io.alphaflow.quant;

import io.alphaflow.core.task.CodeVersion;
import io.alphaflow.core.task.Task;
import org.duckdb.DuckDBConnection;

/**
 * A built-in quant task type: it reads only its config (params reach it through the config's
 * templates), so a run param it does not use leaves its cache key alone; and DuckDB computes its
 * results, so DuckDB's version is part of its code version.
 */
public interface QuantTask extends Task {
  @Override
  default boolean readsParams() {
    return false;
  }

  @Override
  default String codeVersion() {
    return CodeVersion.of(getClass(), DuckDBConnection.class);
  }
}
