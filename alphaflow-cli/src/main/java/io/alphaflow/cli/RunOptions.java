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

  Settings toSettings() {
    Duration timeout = workflowTimeout == null ? null : Durations.parse(workflowTimeout);
    return new Settings(maxConcurrentTasks, timeout, TaskDefaults.EMPTY, null);
  }
}
