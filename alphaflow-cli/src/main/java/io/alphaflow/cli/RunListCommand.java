package io.alphaflow.cli;

import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.run.RunRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "runs", description = "List recent runs, newest first.")
final class RunListCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "How many (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      List<RunRecord> runs = ws.store().recentRuns(limit);
      if (json) {
        spec.commandLine()
            .getOut()
            .println(Json.write(runs.stream().map(RunViews::runSummaryJson).toList()));
        return ExitCode.OK.code();
      }
      if (runs.isEmpty()) {
        spec.commandLine().getOut().println(ws.noRunsYet());
        return ExitCode.OK.code();
      }
      Table t = new Table("RUN", "FLOW", "STATE", "CREATED", "DURATION", "ERROR");
      for (RunRecord r : runs) {
        t.row(
            r.runId(),
            r.flowName(),
            r.state(),
            RunViews.clock(r.createdAt()),
            r.endedAt() == null
                ? null
                : Durations.format(Duration.between(r.createdAt(), r.endedAt())),
            r.error() == null ? "" : abbreviate(r.error()));
      }
      spec.commandLine().getOut().print(t.render());
      return ExitCode.OK.code();
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
