package io.alphaflow.cli;

import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "resume",
    description =
        "Finish a run whose process stopped (crash, kill -9) or retry a failed run. "
            + "Succeeded tasks are not run again; interrupted ones start a new attempt.")
final class RunResumeCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin RunOptions runOptions;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @picocli.CommandLine.Option(
      names = "--take-over",
      description = "Take the run over even if its recorded process looks alive (a reused pid).")
  boolean takeOver;

  @picocli.CommandLine.Option(
      names = "--created",
      hidden = true,
      description = "Start a run stored by run --detach.")
  boolean created;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      RunRecord run = ws.run(runId);
      Engine engine = ws.engine(runOptions.toSettings());
      List<TaskRunRecord> tasks = ws.store().taskRuns(runId);
      int succeeded = (int) tasks.stream().filter(t -> t.state() == TaskState.SUCCEEDED).count();
      if (run.state() == RunState.SUCCEEDED && !runOptions.json) {
        spec.commandLine()
            .getOut()
            .println("run " + runId + " already succeeded; nothing to resume");
      }
      return RunReporter.printing(engine, runOptions, spec.commandLine(), common)
          .run(
              tasks.size(),
              succeeded,
              () ->
                  created
                      ? engine.startCreated(runId, runOptions.cachePolicy())
                      : engine.resume(runId, takeOver, runOptions.cachePolicy()));
    }
  }
}
