package io.alphaflow.cli;

import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Runs something on an engine with progress lines, then prints the outcome as text or JSON (or, as
 * text, leaves it to a caller that prints its own summary: {@link #quietly}).
 */
final class RunReporter {
  private final boolean outcomeAsText;
  private final Engine engine;
  private final RunOptions options;
  private final PrintWriter out;
  private final PrintWriter err;
  private final String homeFlag;

  private RunReporter(
      boolean outcomeAsText, Engine engine, RunOptions options, CommandLine cli, String homeFlag) {
    this.outcomeAsText = outcomeAsText;
    this.engine = engine;
    this.options = options;
    this.homeFlag = homeFlag;
    this.out = cli.getOut();
    this.err = cli.getErr();
  }

  /** A reporter that prints progress, and the outcome only as JSON: the demo's summary says it. */
  static RunReporter quietly(Engine engine, RunOptions options, CommandLine cli) {
    return new RunReporter(false, engine, options, cli, "");
  }

  /**
   * A reporter that prints progress, then the outcome as text (or as JSON with --json), its
   * suggested commands with {@code common}'s {@code --home}.
   */
  static RunReporter printing(
      Engine engine, RunOptions options, CommandLine cli, CommonOptions common) {
    return new RunReporter(true, engine, options, cli, common.homeFlag());
  }

  /** Runs {@code work}, {@code alreadyDone} of the run's {@code taskCount} tasks ended before. */
  int run(int taskCount, int alreadyDone, Supplier<RunResult> work) {
    RunResult result;
    try (ProgressPrinter progress =
        new ProgressPrinter(options.json ? err : out, taskCount, alreadyDone)) {
      if (!options.quiet) {
        engine.events().subscribe(progress);
      }
      try {
        result = work.get();
      } finally {
        engine.events().unsubscribe(progress);
      }
    }
    RunRecord run = engine.store().findRun(result.runId()).orElseThrow();
    if (options.json) {
      out.println(
          Json.write(RunViews.runJson(run, result.tasks(), engine.store().approvals(run.runId()))));
    } else if (outcomeAsText) {
      out.println();
      out.print(
          RunViews.runText(run, result.tasks(), engine.store().approvals(run.runId()), homeFlag));
      if (result.state() != RunState.SUCCEEDED && result.state() != RunState.WAITING) {
        out.println(
            "\nlogs: alphaflow logs "
                + run.runId()
                + " <task>"
                + homeFlag
                + "   resume: alphaflow resume "
                + run.runId()
                + homeFlag);
      }
    }
    out.flush();
    // a run waiting for a person has not failed: it continues when approved
    return result.state() == RunState.SUCCEEDED || result.state() == RunState.WAITING
        ? ExitCode.OK.code()
        : ExitCode.RUN_FAILED.code();
  }

  /** Continues a parked or stopped run in this process, counting what had already ended. */
  int continueRun(String runId) {
    java.util.List<io.alphaflow.core.run.TaskRunRecord> tasks = engine.store().taskRuns(runId);
    int done = (int) tasks.stream().filter(t -> t.state().isTerminal()).count();
    return run(tasks.size(), done, () -> engine.resume(runId, false, options.cachePolicy()));
  }
}
