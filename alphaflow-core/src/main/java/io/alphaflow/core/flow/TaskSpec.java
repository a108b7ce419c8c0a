package io.alphaflow.core.flow;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task as declared in a flow file. Fields the task leaves unset are null and come from the
 * layered defaults (see {@link #effective(TaskDefaults)}).
 */
public record TaskSpec(
    String id,
    String type,
    String description,
    Map<String, Object> config,
    List<String> dependsOn,
    Priority priority,
    Duration timeout,
    RetrySpec retry,
    TriggerRule triggerRule,
    Boolean cache,
    Integer retentionDays,
    String backup,
    ApprovalSpec approval) {

  public TaskSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    dependsOn = List.copyOf(dependsOn);
    retry = retry == null ? RetrySpec.EMPTY : retry;
  }

  /** The same task with {@code other} as its config. */
  public TaskSpec withConfig(Map<String, Object> other) {
    return new TaskSpec(
        id,
        type,
        description,
        other,
        dependsOn,
        priority,
        timeout,
        retry,
        triggerRule,
        cache,
        retentionDays,
        backup,
        approval);
  }

  /** The task with every unset field taken from {@code defaults}, then from built-in defaults. */
  public TaskSpec effective(TaskDefaults defaults) {
    return new TaskSpec(
        id,
        type,
        description,
        config,
        dependsOn,
        priority != null
            ? priority
            : defaults.priority() != null ? defaults.priority() : Priority.MEDIUM,
        timeout != null ? timeout : defaults.timeout(),
        retry.over(defaults.retry()),
        triggerRule != null
            ? triggerRule
            : defaults.triggerRule() != null ? defaults.triggerRule() : TriggerRule.ALL_SUCCESS,
        cache,
        retentionDays,
        backup,
        approval);
  }
}
