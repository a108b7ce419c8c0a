package io.alphaflow.core.testkit;

import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Type {@code versioned}: idempotent, counts executions; its code version is {@link #version}, as a
 * rebuilt plugin's would change.
 */
public final class VersionedTask implements Task {
  public static final AtomicInteger EXECUTIONS = new AtomicInteger();
  public static volatile String version = "1";

  @Override
  public String type() {
    return "versioned";
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public String codeVersion() {
    return version;
  }

  @Override
  public void execute(TaskContext ctx) {
    EXECUTIONS.incrementAndGet();
  }
}
