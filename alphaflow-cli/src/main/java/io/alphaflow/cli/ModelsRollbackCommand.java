package io.alphaflow.cli;

import io.alphaflow.core.model.AliasMove;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "rollback",
    description =
        "Move the champion back to the version it pointed to before, recorded with who and why.")
final class ModelsRollbackCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The model name.")
  String name;

  @Mixin AliasMoveOptions move;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      AliasMove m = ModelViews.registry(ws).rollback(name, move.alias, move.by, move.comment);
      move.report(spec.commandLine().getOut(), name, "rolled back to", m);
      return ExitCode.OK.code();
    }
  }
}
