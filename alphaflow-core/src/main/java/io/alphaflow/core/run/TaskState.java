package io.alphaflow.core.run;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The states of a task run and the one table of moves between them. Any move not in the table is a
 * bug and throws.
 */
public enum TaskState {
  PENDING,
  QUEUED,
  RUNNING,
  RETRYING,
  AWAITING_APPROVAL,
  SUCCEEDED,
  /** Not run: an earlier run made the same result from the same inputs, and it is reused. */
  SKIPPED_CACHED,
  FAILED,
  TIMED_OUT,
  SKIPPED,
  UPSTREAM_FAILED,
  CANCELLED;

  private static final Map<TaskState, Set<TaskState>> ALLOWED =
      Map.ofEntries(
          Map.entry(
              PENDING, EnumSet.of(QUEUED, AWAITING_APPROVAL, SKIPPED, UPSTREAM_FAILED, CANCELLED)),
          // back to PENDING: a resumed run re-queues what was queued or running when it died
          Map.entry(QUEUED, EnumSet.of(RUNNING, CANCELLED, PENDING)),
          Map.entry(
              RUNNING,
              EnumSet.of(
                  SUCCEEDED,
                  SKIPPED_CACHED,
                  FAILED,
                  TIMED_OUT,
                  RETRYING,
                  AWAITING_APPROVAL,
                  CANCELLED,
                  PENDING)),
          Map.entry(RETRYING, EnumSet.of(QUEUED, FAILED, CANCELLED)),
          Map.entry(AWAITING_APPROVAL, EnumSet.of(QUEUED, SUCCEEDED, FAILED, CANCELLED)),
          // back to PENDING only by an explicit rerun
          Map.entry(SUCCEEDED, EnumSet.of(PENDING)),
          Map.entry(SKIPPED_CACHED, EnumSet.of(PENDING)),
          // a resumed run gives tasks that did not succeed a fresh start
          Map.entry(FAILED, EnumSet.of(PENDING)),
          Map.entry(TIMED_OUT, EnumSet.of(PENDING)),
          Map.entry(SKIPPED, EnumSet.of(PENDING)),
          Map.entry(UPSTREAM_FAILED, EnumSet.of(PENDING)),
          Map.entry(CANCELLED, EnumSet.of(PENDING)));

  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, SKIPPED_CACHED, FAILED, TIMED_OUT, SKIPPED, UPSTREAM_FAILED, CANCELLED ->
          true;
      case PENDING, QUEUED, RUNNING, RETRYING, AWAITING_APPROVAL -> false;
    };
  }

  /** Ended without doing its work: what trigger rules and the run's outcome count as failed. */
  public boolean isFailure() {
    return switch (this) {
      case FAILED, TIMED_OUT, UPSTREAM_FAILED, CANCELLED -> true;
      case PENDING,
          QUEUED,
          RUNNING,
          RETRYING,
          AWAITING_APPROVAL,
          SUCCEEDED,
          SKIPPED_CACHED,
          SKIPPED ->
          false;
    };
  }

  public boolean canMoveTo(TaskState next) {
    return ALLOWED.get(this).contains(next);
  }

  /** Returns {@code next}, or throws if the table does not allow the move. */
  public TaskState moveTo(TaskState next, String taskId) {
    if (!canMoveTo(next)) {
      throw new IllegalStateException(
          "task '" + taskId + "' cannot move from " + this + " to " + next);
    }
    return next;
  }
}
