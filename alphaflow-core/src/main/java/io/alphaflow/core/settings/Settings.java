package io.alphaflow.core.settings;

import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.TaskDefaults;
import java.time.Duration;
import java.util.Objects;

/**
 * Engine settings from one configuration layer; null means "not set in this layer". Layers stack as
 * flow YAML &lt; {@code alphaflow.yaml} &lt; environment &lt; command-line flags, and a value a
 * task sets on itself beats all of them.
 */
public record Settings(
    Integer maxConcurrentTasks,
    Duration workflowTimeout,
    TaskDefaults taskDefaults,
    String logLevel) {

  public static final int DEFAULT_MAX_CONCURRENT_TASKS = 5;
  public static final Settings EMPTY = new Settings(null, null, TaskDefaults.EMPTY, null);

  public Settings {
    Objects.requireNonNull(taskDefaults, "taskDefaults");
    if (maxConcurrentTasks != null && maxConcurrentTasks < 1) {
      throw new IllegalArgumentException(
          "max_concurrent_tasks must be at least 1, was " + maxConcurrentTasks);
    }
  }

  /** This layer's values where set, {@code lower}'s elsewhere. */
  public Settings over(Settings lower) {
    return new Settings(
        maxConcurrentTasks != null ? maxConcurrentTasks : lower.maxConcurrentTasks,
        workflowTimeout != null ? workflowTimeout : lower.workflowTimeout,
        taskDefaults.over(lower.taskDefaults),
        logLevel != null ? logLevel : lower.logLevel);
  }

  /** The flow's own settings as the lowest layer. */
  public static Settings of(Flow flow) {
    return new Settings(flow.maxConcurrentTasks(), flow.timeout(), flow.defaults(), null);
  }

  public int effectiveMaxConcurrentTasks() {
    return maxConcurrentTasks != null ? maxConcurrentTasks : DEFAULT_MAX_CONCURRENT_TASKS;
  }
}
