package io.alphaflow.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "pin",
    description = "Keep a run's files and logs whatever their retention (--off to release).")
final class RunPinCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(names = "--off", description = "Unpin: let gc delete what has expired.")
  boolean off;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      ws.run(runId);
      ws.store().pinRun(runId, !off);
      spec.commandLine().getOut().println("run " + runId + (off ? " unpinned" : " pinned"));
      return ExitCode.OK.code();
    }
  }
}
