package io.alphaflow.quant;

import io.alphaflow.core.task.Task;

/**
 * A built-in quant task type: it reads only its config (params reach it through the config's
 * templates), so a run param it does not use leaves its cache key alone.
 */
public interface QuantTask extends Task {
  @Override
  default boolean readsParams() {
    return false;
  }
}
