package io.alphaflow.core.task.builtin;

import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;

/** Does nothing and succeeds: joins, placeholders, and the engine's overhead benchmark. */
public final class NoopTask implements Task {
  @Override
  public boolean readsParams() {
    return false;
  }

  @Override
  public String type() {
    return "noop";
  }

  @Override
  public void execute(TaskContext context) {}
}
