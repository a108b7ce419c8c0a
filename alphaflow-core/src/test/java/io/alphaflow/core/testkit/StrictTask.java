package io.alphaflow.core.testkit;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.Templates;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Type {@code strict}: takes no config key but {@code rows} ({@link Task#configKeys}), a whole
 * number as a template may give it ({@link Task#validate}), as many task types do, and publishes
 * the keys it was given as the output {@code keys} and how often it ran as {@code EXECUTIONS}.
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

  public static final AtomicInteger EXECUTIONS = new AtomicInteger();

  @Override
  public List<ConfigProblem> validate(Map<String, Object> config) {
    Object rows = config.get("rows");
    return rows == null
            || Templates.containsReference(String.valueOf(rows))
            || String.valueOf(rows).matches("\\d+")
        ? List.of()
        : List.of(
            new ConfigProblem("rows", "rows is a whole number, was '" + rows + "'", "rows: 3"));
  }

  @Override
  public void execute(TaskContext ctx) {
    EXECUTIONS.incrementAndGet();
    ctx.output("keys", String.join(",", new TreeSet<>(ctx.config().keySet())));
  }
}
