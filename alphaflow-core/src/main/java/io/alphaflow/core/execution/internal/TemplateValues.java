package io.alphaflow.core.execution.internal;

import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.Templates;
import io.alphaflow.core.task.TaskFailure;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values of {@code ${...}} references for one run. Worker threads read it while the run loop
 * adds the outputs of tasks that succeeded, so it holds only settled, thread-safe state.
 */
final class TemplateValues {
  private final EngineParts parts;
  private final String runId;
  private final String flowName;
  private final String flowDir;
  private final Map<String, String> params;
  private final Map<String, Map<String, String>> outputs = new ConcurrentHashMap<>();
  private final Map<String, String> dirs = new ConcurrentHashMap<>();

  TemplateValues(EngineParts parts, String runId, Flow flow, Map<String, String> params) {
    this.parts = parts;
    this.runId = runId;
    this.flowName = flow.name();
    this.flowDir = flow.dir().toString();
    this.params = params;
  }

  /** {@code dir}: where the task's files are when not in this run (a reused result), or null. */
  void succeeded(String taskId, Map<String, String> published, String dir) {
    outputs.put(taskId, published);
    if (dir != null) {
      dirs.put(taskId, dir);
    }
  }

  /** The absolute output directory of a task of this run, or of the result it reused. */
  String dirOf(String taskId) {
    return dirs.getOrDefault(taskId, parts.outputDir(runId, taskId).toAbsolutePath().toString());
  }

  String value(String expression, String taskId, int attempt) {
    switch (expression) {
      case "run.id" -> {
        return runId;
      }
      case "flow.name" -> {
        return flowName;
      }
      case Templates.FLOW_DIR -> {
        return flowDir;
      }
      case "task.id" -> {
        return taskId;
      }
      case "task.attempt" -> {
        return Integer.toString(attempt);
      }
      default -> {}
    }
    if (expression.startsWith("params.")) {
      return params.get(expression.substring("params.".length()));
    }
    String[] segments = expression.split("\\.", 4); // tasks.ID.outputs.NAME or tasks.ID.output_dir
    if (segments.length == 3) {
      return dirOf(segments[1]);
    }
    Map<String, String> published = outputs.get(segments[1]);
    String v = published == null ? null : published.get(segments[3]);
    if (v == null) {
      throw TaskFailure.nonRetryable(
          "${"
              + expression
              + "}: task '"
              + segments[1]
              + "' published no output '"
              + segments[3]
              + "'"
              + (published == null || published.isEmpty()
                  ? ""
                  : " (it published: " + String.join(", ", published.keySet()) + ")"));
    }
    return v;
  }
}
