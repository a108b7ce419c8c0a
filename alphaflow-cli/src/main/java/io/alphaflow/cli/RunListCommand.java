package io.alphaflow.cli;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.flow.DidYouMean;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "runs",
    description =
        "List recent runs, newest first; --flow and --state narrow them (failed ones: --state failed).")
final class RunListCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Option(
      names = "--limit",
      defaultValue = "20",
      paramLabel = "N",
      description = "How many (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--flow", paramLabel = "NAME", description = "Only the runs of this flow.")
  String flow;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      description =
          "Only runs in these states (comma-separated or repeated): running, waiting, succeeded,"
              + " failed, cancelled.")
  List<String> states = List.of();

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      if (limit < 1) {
        throw new InvalidInputException("--limit must be 1 or more, was " + limit);
      }
      List<RunRecord> runs = ws.store().recentRuns(limit, flow, states(states));
      List<String> flows = runs.isEmpty() && flow != null ? ws.store().flowNames() : List.of();
      if (runs.isEmpty() && flow != null && !flows.contains(flow)) {
        String close = DidYouMean.closest(flow, flows);
        throw new NotFoundException(
            "no runs of flow '"
                + flow
                + "'"
                + (close != null ? ": did you mean '" + close + "'?" : "")
                + (flows.isEmpty() ? "" : " (flows with runs: " + String.join(", ", flows) + ")"));
      }
      if (json) {
        spec.commandLine()
            .getOut()
            .println(Json.write(runs.stream().map(RunViews::runSummaryJson).toList()));
        return ExitCode.OK.code();
      }
      if (runs.isEmpty() && flow == null && states.isEmpty()) {
        spec.commandLine().getOut().println(ws.noRunsYet());
        return ExitCode.OK.code();
      }
      if (runs.isEmpty()) {
        spec.commandLine()
            .getOut()
            .println(
                "no "
                    + String.join(" or ", states).toLowerCase(Locale.ROOT)
                    + " runs"
                    + (flow == null ? "" : " of flow '" + flow + "'"));
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

  /** The states named, in any case; an unknown one fails naming those there are. */
  static Set<RunState> states(List<String> names) {
    Set<RunState> out = EnumSet.noneOf(RunState.class);
    for (String name : names) {
      try {
        out.add(RunState.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        List<String> known =
            Arrays.stream(RunState.values()).map(st -> st.name().toLowerCase(Locale.ROOT)).toList();
        String close = DidYouMean.closest(name.strip().toLowerCase(Locale.ROOT), known);
        throw new InvalidInputException(
            "unknown run state '"
                + name
                + "' for --state"
                + (close != null ? ": did you mean '" + close + "'?" : "")
                + " (states: "
                + String.join(", ", known)
                + ")");
      }
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
