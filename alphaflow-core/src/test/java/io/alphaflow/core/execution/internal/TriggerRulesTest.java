package io.alphaflow.core.execution.internal;

import static io.alphaflow.core.execution.internal.TriggerRules.Decision.RUN;
import static io.alphaflow.core.execution.internal.TriggerRules.Decision.SKIP;
import static io.alphaflow.core.execution.internal.TriggerRules.Decision.UPSTREAM_FAILED;
import static io.alphaflow.core.execution.internal.TriggerRules.Decision.WAIT;
import static io.alphaflow.core.run.TaskState.FAILED;
import static io.alphaflow.core.run.TaskState.RUNNING;
import static io.alphaflow.core.run.TaskState.SKIPPED;
import static io.alphaflow.core.run.TaskState.SUCCEEDED;
import static io.alphaflow.core.run.TaskState.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;

import io.alphaflow.core.flow.TriggerRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerRulesTest {
  @Test
  void allSuccessWaitsRunsSkipsOrFailsEarly() {
    assertThat(TriggerRules.decide(TriggerRule.ALL_SUCCESS, List.of(SUCCEEDED, RUNNING)))
        .isEqualTo(WAIT);
    assertThat(TriggerRules.decide(TriggerRule.ALL_SUCCESS, List.of(SUCCEEDED, SUCCEEDED)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.decide(TriggerRule.ALL_SUCCESS, List.of(SUCCEEDED, SKIPPED)))
        .isEqualTo(SKIP);
    assertThat(TriggerRules.decide(TriggerRule.ALL_SUCCESS, List.of(FAILED, RUNNING)))
        .isEqualTo(UPSTREAM_FAILED);
  }

  @Test
  void oneFailedFiresOnTheFirstFailure() {
    assertThat(TriggerRules.decide(TriggerRule.ONE_FAILED, List.of(TIMED_OUT, RUNNING)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.decide(TriggerRule.ONE_FAILED, List.of(SUCCEEDED, RUNNING)))
        .isEqualTo(WAIT);
    assertThat(TriggerRules.decide(TriggerRule.ONE_FAILED, List.of(SUCCEEDED, SUCCEEDED)))
        .isEqualTo(SKIP);
  }

  @Test
  void allDoneAndNoneFailed() {
    assertThat(TriggerRules.decide(TriggerRule.ALL_DONE, List.of(FAILED, SUCCEEDED)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.decide(TriggerRule.ALL_DONE, List.of(FAILED, RUNNING))).isEqualTo(WAIT);
    assertThat(TriggerRules.decide(TriggerRule.NONE_FAILED, List.of(SKIPPED, SUCCEEDED)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.decide(TriggerRule.NONE_FAILED, List.of(FAILED, SUCCEEDED)))
        .isEqualTo(UPSTREAM_FAILED);
  }

  @Test
  void aTaskWithoutUpstreamRunsAtOnce() {
    assertThat(TriggerRules.decide(TriggerRule.ALL_SUCCESS, List.of())).isEqualTo(RUN);
  }
}
