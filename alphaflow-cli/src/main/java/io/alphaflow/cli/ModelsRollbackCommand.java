package io.alphaflow.cli;

import io.alphaflow.core.model.AliasMove;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who rolls back.")
  String by;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why.")
  String comment;

  @Option(
      names = "--alias",
      defaultValue = "champion",
      paramLabel = "ALIAS",
      description = "champion (default) or challenger.")
  String alias;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      AliasMove m = ModelViews.registry(ws).rollback(name, alias, by, comment);
      spec.commandLine()
          .getOut()
          .println(
              alias
                  + " of '"
                  + name
                  + "' rolled back to "
                  + m.version().substring(0, 12)
                  + " (was "
                  + m.previous().substring(0, 12)
                  + "), by "
                  + by);
      return ExitCode.OK.code();
    }
  }
}
