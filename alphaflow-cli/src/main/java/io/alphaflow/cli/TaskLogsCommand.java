package io.alphaflow.cli;

import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.run.TaskRunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "logs",
    description =
        "Print a task's log (every attempt), or without TASK the run's event history (the newest"
            + " run's without RUN).")
final class TaskLogsCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RUN",
      description = "The run id; without it, the newest run's events.")
  String runId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "TASK", description = "The task id.")
  String taskId;

  @Option(names = "--attempt", paramLabel = "N", description = "Only this attempt.")
  Integer attempt;

  @Override
  public Integer call() throws IOException {
    try (Workspace ws = new Workspace(common)) {
      String id = ws.runOrNewest(runId).runId();
      PrintWriter out = spec.commandLine().getOut();
      if (taskId == null) {
        for (Event e : ws.store().events(id)) {
          out.println(
              RunViews.clock(e.at())
                  + "  "
                  + e.type()
                  + (e.taskId() == null ? "" : "  " + e.taskId())
                  + (e.message().isEmpty() ? "" : "  " + e.message()));
        }
        return ExitCode.OK.code();
      }
      TaskRunRecord task =
          ws.store().taskRuns(id).stream()
              .filter(t -> t.taskId().equals(taskId))
              .findFirst()
              .orElseThrow(() -> NotFoundException.task(id, taskId));
      Path dir = ws.home().resolve("logs").resolve(id).resolve(taskId);
      int from = attempt == null ? 1 : attempt;
      int to = attempt == null ? task.attempt() : attempt;
      boolean printed = false;
      for (int a = from; a <= to; a++) {
        Path file = dir.resolve("attempt-" + a + ".log");
        out.println("== " + taskId + " attempt " + a + " (" + file + ")");
        if (Files.exists(file)) {
          out.print(Files.readString(file));
          printed = true;
        } else {
          out.println("(no output)");
        }
      }
      if (task.attempt() == 0) {
        out.println("task '" + taskId + "' has not started (" + task.state() + ")");
      } else if (!printed && task.error() != null) {
        out.println("error: " + task.error());
      }
      return ExitCode.OK.code();
    }
  }
}
