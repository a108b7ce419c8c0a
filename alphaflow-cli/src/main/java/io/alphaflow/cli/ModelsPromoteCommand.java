package io.alphaflow.cli;

import io.alphaflow.core.model.AliasMove;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "promote",
    description = "Point an alias (default champion) at a version, recorded with who and why.")
final class ModelsPromoteCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The model name.")
  String name;

  @Parameters(
      index = "1",
      paramLabel = "VERSION",
      description = "A version (hash or unique prefix).")
  String version;

  @Mixin AliasMoveOptions move;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      AliasMove m =
          ModelViews.registry(ws).promote(name, version, move.alias, move.by, move.comment);
      move.report(spec.commandLine().getOut(), name, "is now", m);
      return ExitCode.OK.code();
    }
  }
}
