package io.alphaflow.cli;

import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.flow.TaskDefaults;
import io.alphaflow.core.settings.Settings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Flags that override settings for a run, the top configuration layer. */
final class RunOptions {
  @Option(
      names = "--max-concurrent-tasks",
      paramLabel = "N",
      description = "At most N tasks at once (MAX_CONCURRENT_TASKS).")
  Integer maxConcurrentTasks;

  @Option(
      names = "--workflow-timeout",
      paramLabel = "DURATION",
      description = "Time limit of the whole run, e.g. 1h (WORKFLOW_TIMEOUT).")
  String workflowTimeout;

  @Option(names = "--json", description = "Print the outcome as one JSON object.")
  boolean json;

  @Option(names = "--quiet", description = "No progress lines.")
  boolean quiet;

  @Option(names = "--force", description = "Recompute every task; reuse no cached result.")
  boolean forceAll;

  @Option(
      names = "--force-task",
      paramLabel = "ID",
      description = "Recompute this task even if a cached result exists; repeatable.")
  java.util.Set<String> forceTasks = new java.util.LinkedHashSet<>();

  io.alphaflow.core.execution.CachePolicy cachePolicy() {
    return new io.alphaflow.core.execution.CachePolicy(forceAll, forceTasks);
  }

  /** The flags again, for a background process that continues this run. */
  java.util.List<String> asArguments() {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (maxConcurrentTasks != null) {
      out.addAll(java.util.List.of("--max-concurrent-tasks", maxConcurrentTasks.toString()));
    }
    if (workflowTimeout != null) {
      out.addAll(java.util.List.of("--workflow-timeout", workflowTimeout));
    }
    if (forceAll) {
      out.add("--force");
    }
    forceTasks.forEach(t -> out.addAll(java.util.List.of("--force-task", t)));
    return out;
  }

  Settings toSettings() {
    Duration timeout = workflowTimeout == null ? null : Durations.parse(workflowTimeout);
    return new Settings(maxConcurrentTasks, timeout, TaskDefaults.EMPTY, null);
  }
}
