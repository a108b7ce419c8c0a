package io.alphaflow.cli;

import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.settings.Settings;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "cancel",
    description =
        "Stop a run: running tasks are interrupted and their processes killed, nothing else starts, "
            + "and the run ends CANCELLED. 'alphaflow resume' starts it again later.")
final class RunCancelCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why; shown in status and events.")
  String reason;

  @Option(names = "--wait", description = "Wait (up to 60 s) until the run has stopped.")
  boolean waitForStop;

  @Option(names = "--json", description = "Print the outcome as JSON.")
  boolean json;

  @Override
  public Integer call() throws InterruptedException {
    try (Workspace ws = new Workspace(common)) {
      RunRecord before = ws.run(runId);
      String why =
          reason != null ? reason : "cancelled by " + System.getProperty("user.name", "user");
      RunState state = ws.engine(Settings.EMPTY).cancel(runId, why);
      if (waitForStop) {
        for (int i = 0; i < 600 && !state.isTerminal(); i++) {
          Thread.sleep(100);
          state = ws.store().findRun(runId).orElseThrow().state();
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.write(Map.of("run_id", runId, "state", state.name())));
      } else if (before.state().isTerminal()) {
        out.println("run " + runId + " had already ended: " + before.state());
      } else if (state == RunState.RUNNING) {
        out.println(
            "cancel requested; the process running "
                + runId
                + " stops its tasks within a second"
                + " (alphaflow status "
                + runId
                + common.homeFlag()
                + ")");
      } else {
        out.println("run " + runId + " " + state);
      }
      return ExitCode.OK.code();
    }
  }
}
