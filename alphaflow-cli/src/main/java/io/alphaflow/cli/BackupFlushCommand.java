package io.alphaflow.cli;

import io.alphaflow.core.settings.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "flush",
    description = "Try every queued upload again; exit 1 if some are still queued.")
final class BackupFlushCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      int before = ws.store().pendingBackups().size();
      int left = ws.engine(Settings.EMPTY).backups().flush();
      spec.commandLine().getOut().println((before - left) + " uploaded, " + left + " still queued");
      return left == 0 ? ExitCode.OK.code() : ExitCode.RUN_FAILED.code();
    }
  }
}
