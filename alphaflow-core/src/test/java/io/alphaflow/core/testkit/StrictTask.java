package io.alphaflow.core.testkit;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Type {@code strict}: refuses any config key but {@code rows}, as many task types do, and
 * publishes the keys it was given as the output {@code keys}.
 */
public final class StrictTask implements Task {
  @Override
  public String type() {
    return "strict";
  }

  @Override
  public List<ConfigProblem> validate(Map<String, Object> config) {
    return config.keySet().stream()
        .filter(k -> !k.equals("rows"))
        .map(k -> new ConfigProblem(k, "unknown key '" + k + "'", "only rows"))
        .toList();
  }

  @Override
  public void execute(TaskContext ctx) {
    ctx.output("keys", String.join(",", new TreeSet<>(ctx.config().keySet())));
  }
}
