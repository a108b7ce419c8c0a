package io.alphaflow.cli;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.run.RunState;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What approve and reject share: record the decision, then continue a parked run in this process (a
 * run another process still executes picks the decision up by itself).
 */
abstract class TaskDecisionCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin RunOptions runOptions;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Parameters(index = "1", paramLabel = "TASK", description = "The waiting task's id.")
  String taskId;

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who decides.")
  String by;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why.")
  String comment;

  @Option(
      names = "--no-resume",
      description = "Only record the decision; continue the run later with resume.")
  boolean noResume;

  abstract Decision decision();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Workspace ws = new Workspace(common)) {
      Engine engine = ws.engine(runOptions.toSettings());
      Approval approval = engine.decide(runId, taskId, decision(), by, comment);
      if (!runOptions.json) {
        out.println("task " + taskId + " of run " + runId + ": " + approval.describe());
      }
      RunState state = ws.store().findRun(runId).orElseThrow().state();
      if (state != RunState.WAITING || noResume) {
        if (!runOptions.json) {
          out.println(
              state == RunState.WAITING
                  ? "the run stays parked; continue it with: alphaflow resume "
                      + runId
                      + common.homeFlag()
                  : "the process executing run " + runId + " continues it");
        } else {
          out.println(Json.write(java.util.Map.of("run_id", runId, "decision", decision().name())));
        }
        out.flush();
        return ExitCode.OK.code();
      }
      return RunReporter.printing(engine, runOptions, spec.commandLine(), common)
          .continueRun(runId);
    }
  }
}
