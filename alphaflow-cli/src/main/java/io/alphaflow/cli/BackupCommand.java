package io.alphaflow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the backup commands. */
@Command(
    name = "backup",
    description = "Copies of checkpointed artifacts to object storage (a task's backup: field).",
    subcommands = {BackupListCommand.class, BackupFlushCommand.class})
final class BackupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
