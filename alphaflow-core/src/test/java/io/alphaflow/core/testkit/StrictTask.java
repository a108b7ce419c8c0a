package io.alphaflow.core.testkit;

import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.util.TreeSet;

/**
 * Type {@code strict}: takes no config key but {@code rows} ({@link Task#configKeys}), as many task
 * types do, and publishes the keys it was given as the output {@code keys}.
 */
public final class StrictTask implements Task {
  @Override
  public String type() {
    return "strict";
  }

  @Override
  public java.util.Set<String> configKeys() {
    return java.util.Set.of("rows");
  }

  @Override
  public void execute(TaskContext ctx) {
    ctx.output("keys", String.join(",", new TreeSet<>(ctx.config().keySet())));
  }
}
