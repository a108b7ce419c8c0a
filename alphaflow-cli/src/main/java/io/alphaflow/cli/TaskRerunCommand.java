package io.alphaflow.cli;

import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.run.TaskState;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "rerun",
    description =
        "Run one task of a run again (and with --downstream what depends on it): upstream "
            + "checkpoints must still exist and match their hashes; the task's old outputs are cleared.")
final class TaskRerunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin RunOptions runOptions;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Parameters(index = "1", paramLabel = "TASK", description = "The task to run again.")
  String taskId;

  @Option(names = "--downstream", description = "Also run again every task that depends on it.")
  boolean downstream;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      ws.run(runId);
      Engine engine = ws.engine(runOptions.toSettings());
      var tasks = ws.store().taskRuns(runId);
      int kept = (int) tasks.stream().filter(t -> t.state() == TaskState.SUCCEEDED).count();
      return RunReporter.printing(engine, runOptions, spec.commandLine(), common)
          .run(tasks.size(), Math.max(0, kept - 1), () -> engine.rerun(runId, taskId, downstream));
    }
  }
}
