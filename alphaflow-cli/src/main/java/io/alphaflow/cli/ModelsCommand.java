package io.alphaflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the model registry commands. */
@Command(
    name = "models",
    description =
        "The model registry: versions, champion and challenger, promotion, rollback, pruning.",
    subcommands = {
      ModelsListCommand.class,
      ModelsShowCommand.class,
      ModelsPromoteCommand.class,
      ModelsRollbackCommand.class,
      ModelsDiffCommand.class,
      ModelsPruneCommand.class
    })
final class ModelsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
