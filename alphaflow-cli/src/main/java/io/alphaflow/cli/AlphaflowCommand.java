package io.alphaflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/** The root command: only groups the others. */
@Command(
    name = "alphaflow",
    mixinStandardHelpOptions = true,
    // --help and --version on every subcommand too
    scope = ScopeType.INHERIT,
    version = "alphaflow 0.1.0",
    description = "Durable workflows for quant research and trading pipelines.",
    subcommands = {
      FlowValidateCommand.class,
      FlowRunCommand.class,
      RunStatusCommand.class,
      TaskLogsCommand.class,
      FlowGraphCommand.class,
      RunListCommand.class,
      RunResumeCommand.class,
      DemoCommand.class,
      TaskRunCommand.class,
      RunCancelCommand.class,
      ArtifactLineageCommand.class,
      TaskRerunCommand.class,
      FlowBackfillCommand.class,
      StoreGcCommand.class,
      RunPinCommand.class,
      BackupCommand.class,
      ArtifactRestoreCommand.class,
      TaskApproveCommand.class,
      TaskRejectCommand.class,
      ModelsCommand.class
    })
final class AlphaflowCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
