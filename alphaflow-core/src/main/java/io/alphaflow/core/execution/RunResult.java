package io.alphaflow.core.execution;

import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import java.util.List;

/** How a run ended (or stands, for a run left waiting): its state and every task's record. */
public record RunResult(String runId, RunState state, String error, List<TaskRunRecord> tasks) {
  public RunResult {
    tasks = List.copyOf(tasks);
  }
}
