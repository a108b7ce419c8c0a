package io.alphaflow.cli;

import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.TaskRunRecord;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    description = "Show a run (the newest without RUN) and each task's state, attempts and errors.")
final class RunStatusCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RUN",
      description = "The run id; without it, the newest run.")
  String runId;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      RunRecord run = ws.runOrNewest(runId);
      String id = run.runId();
      List<TaskRunRecord> tasks = ws.store().taskRuns(id);
      spec.commandLine()
          .getOut()
          .print(
              json
                  ? Json.write(RunViews.runJson(run, tasks, ws.store().approvals(id))) + "\n"
                  : RunViews.runText(run, tasks, ws.store().approvals(id), common.homeFlag()));
      return ExitCode.OK.code();
    }
  }
}
