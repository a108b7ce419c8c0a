package io.alphaflow.core.testkit;

import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Type {@code counting}: idempotent; sleeps {@code config.sleep_ms}, counts executions, writes a
 * file.
 */
public final class CountingTask implements Task {
  public static final AtomicInteger EXECUTIONS = new AtomicInteger();

  @Override
  public String type() {
    return "counting";
  }

  @Override
  public boolean idempotent() {
    return true;
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    EXECUTIONS.incrementAndGet();
    Thread.sleep(((Number) ctx.config().getOrDefault("sleep_ms", 0)).longValue());
    Files.writeString(
        ctx.outputDir().resolve("value.txt"), String.valueOf(ctx.config().get("value")));
  }
}
