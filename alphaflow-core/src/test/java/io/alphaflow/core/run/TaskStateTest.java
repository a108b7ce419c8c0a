package io.alphaflow.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskStateTest {
  @Test
  void illegalMoveThrowsWithBothStates() {
    assertThatThrownBy(() -> TaskState.SUCCEEDED.moveTo(TaskState.RUNNING, "train"))
        .hasMessage("task 'train' cannot move from SUCCEEDED to RUNNING");
    assertThatThrownBy(() -> TaskState.PENDING.moveTo(TaskState.RUNNING, "a"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void lifecycleMovesAreAllowed() {
    assertThat(TaskState.PENDING.canMoveTo(TaskState.QUEUED)).isTrue();
    assertThat(TaskState.QUEUED.canMoveTo(TaskState.RUNNING)).isTrue();
    assertThat(TaskState.RUNNING.canMoveTo(TaskState.RETRYING)).isTrue();
    assertThat(TaskState.RETRYING.canMoveTo(TaskState.QUEUED)).isTrue();
  }

  @Test
  void terminalAndFailureSets() {
    assertThat(TaskState.SKIPPED.isTerminal()).isTrue();
    assertThat(TaskState.SKIPPED.isFailure()).isFalse();
    assertThat(TaskState.UPSTREAM_FAILED.isFailure()).isTrue();
    assertThat(TaskState.RETRYING.isTerminal()).isFalse();
  }
}
