package io.alphaflow.core.testkit;

import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Type {@code record}: notes "task@attempt" in start order per run, publishes {@code config.output}
 * entries as outputs, and sleeps {@code config.sleep_ms} if given. Asked what approving it does, it
 * answers {@code config.approval_subject}, or fails with the rest of it if that starts with {@code
 * !}.
 */
public final class RecordTask implements Task {
  private static final Map<String, List<String>> STARTS = new ConcurrentHashMap<>();

  public static List<String> starts(String runId) {
    return STARTS.getOrDefault(runId, List.of());
  }

  @Override
  public String type() {
    return "record";
  }

  @Override
  public String approvalSubject(Map<String, Object> config, ModelRegistry models) {
    if (config.get("approval_subject") instanceof String s) {
      if (s.startsWith("!")) {
        throw new IllegalStateException(s.substring(1));
      }
      return s;
    }
    return null;
  }

  @Override
  public void execute(TaskContext ctx) throws InterruptedException {
    STARTS.computeIfAbsent(ctx.runId(), k -> new CopyOnWriteArrayList<>()).add(ctx.taskId());
    if (ctx.config().get("sleep_ms") instanceof Number n) {
      Thread.sleep(n.longValue());
    }
    if (ctx.config().get("output") instanceof Map<?, ?> out) {
      out.forEach((k, v) -> ctx.output(String.valueOf(k), String.valueOf(v)));
    }
  }
}
