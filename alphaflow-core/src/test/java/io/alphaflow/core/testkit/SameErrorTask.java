package io.alphaflow.core.testkit;

import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;

/**
 * Type {@code same_error}: throws an error its type says no retry can change ({@link
 * Task#retryable}), as a library's syntax errors are.
 */
public final class SameErrorTask implements Task {
  @Override
  public String type() {
    return "same_error";
  }

  @Override
  public boolean retryable(Throwable error) {
    return !(error instanceof IllegalArgumentException);
  }

  @Override
  public void execute(TaskContext ctx) {
    throw new IllegalArgumentException("the query does not parse");
  }
}
