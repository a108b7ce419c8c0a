package io.alphaflow.core.flow;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings a task takes when it does not set its own; each field may be null ("not set at this
 * level"). Used for a flow's {@code defaults:} block and for the layers above it.
 */
public record TaskDefaults(
    RetrySpec retry, Duration timeout, Priority priority, TriggerRule triggerRule) {
  public static final TaskDefaults EMPTY = new TaskDefaults(RetrySpec.EMPTY, null, null, null);

  public TaskDefaults {
    Objects.requireNonNull(retry, "retry");
  }

  public TaskDefaults over(TaskDefaults lower) {
    return new TaskDefaults(
        retry.over(lower.retry),
        timeout != null ? timeout : lower.timeout,
        priority != null ? priority : lower.priority,
        triggerRule != null ? triggerRule : lower.triggerRule);
  }
}
