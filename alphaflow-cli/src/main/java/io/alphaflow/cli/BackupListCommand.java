package io.alphaflow.cli;

import io.alphaflow.core.backup.BackupItem;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "Uploads still queued, with their attempts and last error.")
final class BackupListCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      List<BackupItem> pending = ws.store().pendingBackups();
      if (json) {
        spec.commandLine()
            .getOut()
            .println(Json.write(pending.stream().map(BackupListCommand::json).toList()));
        return ExitCode.OK.code();
      }
      if (pending.isEmpty()) {
        spec.commandLine().getOut().println("no uploads queued");
        return ExitCode.OK.code();
      }
      Table t = new Table("RUN", "TASK", "TARGET", "ATTEMPTS", "LAST ERROR");
      pending.forEach(b -> t.row(b.runId(), b.taskId(), b.target(), b.attempts(), b.lastError()));
      spec.commandLine().getOut().print(t.render());
      return ExitCode.OK.code();
    }
  }

  private static java.util.Map<String, Object> json(BackupItem b) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("run_id", b.runId());
    m.put("task_id", b.taskId());
    m.put("hash", b.hash());
    m.put("target", b.target());
    m.put("attempts", b.attempts());
    m.put("last_error", b.lastError());
    m.put("updated_at", RunViews.text(b.updatedAt()));
    return m;
  }
}
