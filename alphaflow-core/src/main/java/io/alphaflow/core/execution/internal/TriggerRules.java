package io.alphaflow.core.execution.internal;

import io.alphaflow.core.flow.TriggerRule;
import io.alphaflow.core.run.TaskState;
import java.util.List;

/** Decides, from its upstream tasks' states, what a pending task does next. */
final class TriggerRules {
  enum Decision {
    WAIT,
    RUN,
    SKIP,
    UPSTREAM_FAILED
  }

  private TriggerRules() {}

  static Decision decide(TriggerRule rule, List<TaskState> upstream) {
    boolean allDone = upstream.stream().allMatch(TaskState::isTerminal);
    boolean anyFailed = upstream.stream().anyMatch(TaskState::isFailure);
    boolean anySkipped = upstream.stream().anyMatch(s -> s == TaskState.SKIPPED);
    return switch (rule) {
      case ALL_SUCCESS -> {
        if (anyFailed) {
          yield Decision.UPSTREAM_FAILED;
        }
        if (!allDone) {
          yield Decision.WAIT;
        }
        yield anySkipped ? Decision.SKIP : Decision.RUN;
      }
      case ALL_DONE -> allDone ? Decision.RUN : Decision.WAIT;
      case ONE_FAILED -> anyFailed ? Decision.RUN : allDone ? Decision.SKIP : Decision.WAIT;
      case NONE_FAILED ->
          anyFailed ? Decision.UPSTREAM_FAILED : allDone ? Decision.RUN : Decision.WAIT;
    };
  }
}
