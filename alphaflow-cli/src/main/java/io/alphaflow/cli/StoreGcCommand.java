package io.alphaflow.cli;

import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.retention.GarbageCollector;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "gc",
    description =
        "Delete task files past their retention_days and logs of runs that ended before the log "
            + "retention; never those of a pinned run (alphaflow pin), nor files a kept artifact reads "
            + "(features beside the data they describe, a label beside its features). Reports the bytes "
            + "freed.")
final class StoreGcCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(names = "--dry-run", description = "Say what would be deleted; delete nothing.")
  boolean dryRun;

  @Option(
      names = "--log-retention",
      defaultValue = "30d",
      paramLabel = "DURATION",
      description = "Keep logs of runs that ended within this long (default ${DEFAULT-VALUE}).")
  String logRetention;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      Instant now = Instant.now();
      GarbageCollector.Report report =
          new GarbageCollector(ws.store(), ws.home(), new RowsStillRead(ws.store(), now))
              .collect(now, Durations.parse(logRetention), dryRun);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dry_run", report.dryRun());
        m.put("freed_bytes", report.freedBytes());
        m.put("deleted", report.deleted());
        m.put("kept", report.kept());
        out.println(Json.write(m));
        return ExitCode.OK.code();
      }
      Table t = new Table("ACTION", "KIND", "WHAT", "BYTES", "WHY");
      report
          .deleted()
          .forEach(
              i ->
                  t.row(
                      dryRun ? "would delete" : "deleted",
                      i.kind(),
                      i.what(),
                      i.bytes(),
                      i.reason()));
      report.kept().forEach(i -> t.row("kept", i.kind(), i.what(), i.bytes(), i.reason()));
      if (report.deleted().isEmpty() && report.kept().isEmpty()) {
        out.println("nothing has expired");
      } else {
        out.print(t.render());
      }
      out.println((dryRun ? "would free " : "freed ") + report.freedBytes() + " bytes");
      return ExitCode.OK.code();
    }
  }
}
