package io.alphaflow.cli;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import java.io.PrintWriter;
import java.util.List;

/**
 * What approve and reject share: record the decision, then continue a parked run in this process (a
 * run another process still executes picks the decision up by itself).
 */
final class TaskDecision {
  private TaskDecision() {}

  static int decide(
      CommonOptions common,
      RunOptions runOptions,
      PrintWriter out,
      PrintWriter err,
      String runId,
      String taskId,
      Decision decision,
      String by,
      String comment,
      boolean noResume) {
    try (Workspace ws = new Workspace(common)) {
      Engine engine = ws.engine(runOptions.toSettings());
      Approval approval = engine.decide(runId, taskId, decision, by, comment);
      if (!runOptions.json) {
        out.println("task " + taskId + " of run " + runId + ": " + approval.describe());
      }
      RunState state = ws.store().findRun(runId).orElseThrow().state();
      if (state != RunState.WAITING || noResume) {
        if (!runOptions.json) {
          out.println(
              state == RunState.WAITING
                  ? "the run stays parked; continue it with: alphaflow resume " + runId
                  : "the process executing run " + runId + " continues it");
        } else {
          out.println(Json.write(java.util.Map.of("run_id", runId, "decision", decision.name())));
        }
        out.flush();
        return ExitCode.OK.code();
      }
      List<TaskRunRecord> tasks = ws.store().taskRuns(runId);
      int done = (int) tasks.stream().filter(t -> t.state().isTerminal()).count();
      return RunReporter.report(
          engine,
          runOptions,
          out,
          err,
          tasks.size(),
          done,
          () -> engine.resume(runId, false, runOptions.cachePolicy()));
    }
  }
}
