package io.alphaflow.cli;

import io.alphaflow.core.backfill.Backfill;
import io.alphaflow.core.backfill.Partition;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "backfill",
    description =
        "One run per date partition with params.date set. Partitions that succeeded before are "
            + "skipped (--force runs them again); failed or interrupted ones are resumed, so the same "
            + "command finishes a backfill that was cut short.")
final class FlowBackfillCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FLOW", description = "The flow YAML file.")
  Path file;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DATE",
      description = "First date, e.g. 2024-01-01.")
  LocalDate from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DATE",
      description = "Last date, included.")
  LocalDate to;

  @Option(
      names = "--partition",
      defaultValue = "daily",
      description = "daily or weekly (default ${DEFAULT-VALUE}).")
  String partition;

  @Option(
      names = "--concurrency",
      defaultValue = "1",
      description = "Partitions at once (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--force",
      description = "Run partitions that already succeeded again, recomputing everything.")
  boolean force;

  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description = "Another flow param; repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--json", description = "Print the outcome per partition as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      Flow flow = ws.loadFlow(file);
      Engine engine = ws.engine(io.alphaflow.core.settings.Settings.EMPTY);
      List<LocalDate> dates = Partition.parse(partition).dates(from, to);
      List<Backfill.Outcome> outcomes;
      try (ProgressBar bar =
          new ProgressBarBuilder()
              .setTaskName("backfill " + flow.name())
              .setInitialMax(dates.size())
              .setStyle(ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(200)
              .build()) {
        outcomes =
            new Backfill(engine)
                .run(
                    flow,
                    params,
                    dates,
                    concurrency,
                    force,
                    o -> {
                      bar.step();
                      bar.setExtraMessage(o.date() + " " + (o.skipped() ? "skipped" : o.state()));
                    });
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Backfill.Outcome o : outcomes) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("date", o.date().toString());
          m.put("run_id", o.runId());
          m.put("state", o.state().name());
          m.put("skipped", o.skipped());
          m.put("error", o.error());
          rows.add(m);
        }
        out.println(Json.write(rows));
      } else {
        Table t = new Table("DATE", "RUN", "STATE", "DURATION", "NOTE");
        for (Backfill.Outcome o : outcomes) {
          RunRecord r = o.runId() == null ? null : ws.store().findRun(o.runId()).orElse(null);
          String took =
              r == null || r.endedAt() == null
                  ? null
                  : Durations.format(Duration.between(r.createdAt(), r.endedAt()));
          t.row(
              o.date(),
              o.runId(),
              o.state(),
              took,
              o.skipped() ? "succeeded before, skipped" : o.error() == null ? "" : o.error());
        }
        out.print(t.render());
        long failed = outcomes.stream().filter(o -> o.state() != RunState.SUCCEEDED).count();
        out.println(
            outcomes.size()
                + " partitions: "
                + (outcomes.size() - failed)
                + " succeeded, "
                + failed
                + " not"
                + (failed > 0 ? " (run the same command again to resume them)" : ""));
      }
      return outcomes.stream().allMatch(o -> o.state() == RunState.SUCCEEDED)
          ? ExitCode.OK.code()
          : ExitCode.RUN_FAILED.code();
    }
  }
}
