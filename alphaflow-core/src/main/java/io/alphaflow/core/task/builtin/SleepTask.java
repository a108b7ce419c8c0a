package io.alphaflow.core.task.builtin;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Waits for {@code duration} (cancellable): waiting for a market open, testing timeouts. */
public final class SleepTask implements Task {
  @Override
  public boolean readsParams() {
    return false;
  }

  @Override
  public String type() {
    return "sleep";
  }

  @Override
  public List<ConfigProblem> validate(Map<String, Object> config) {
    Object d = config.get("duration");
    if (d == null) {
      return List.of(new ConfigProblem("", "missing 'duration'", "e.g. duration: 30s"));
    }
    if (d instanceof String s && s.contains("${")) {
      return List.of();
    }
    try {
      Durations.parse(String.valueOf(d));
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(new ConfigProblem("duration", "bad duration '" + d + "'", Durations.HINT));
    }
  }

  @Override
  public void execute(TaskContext context) throws InterruptedException {
    Duration d = Durations.parse(String.valueOf(context.config().get("duration")));
    if (context.cancellation().await(d)) {
      context.cancellation().throwIfCancelled();
    }
  }
}
