package io.alphaflow.cli;

import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description =
        "Run seed 000's high-frequency factor pipeline (examples/hft_factor_pipeline.yaml) on "
            + "generated order flow with the embedded store: data, features, a model, its evaluation, "
            + "the registry, and a deployment that waits for a person unless --auto-approve is given.")
final class DemoCommand implements Callable<Integer> {
  static final String FLOW = "examples/hft_factor_pipeline.yaml";
  static final String GATE = "deploy";

  @Mixin CommonOptions common;
  @Mixin RunOptions runOptions;
  @Spec CommandSpec spec;

  @Option(
      names = "--auto-approve",
      description = "Approve the deployment gate as 'demo --auto-approve' instead of waiting.")
  boolean autoApprove;

  @Option(
      names = "--rows",
      defaultValue = "100000",
      paramLabel = "N",
      description = "Rows of generated order flow (default ${DEFAULT-VALUE}).")
  long rows;

  @Override
  public Integer call() {
    Path install = Path.of(System.getProperty("alphaflow.install", "."));
    Path flowFile = install.resolve(FLOW);
    if (!Files.exists(flowFile)) {
      throw new NotFoundException(
          "the demo needs "
              + FLOW
              + " under "
              + install.toAbsolutePath()
              + ": run it from the alphaflow checkout, or through bin/alphaflow");
    }
    try (Workspace ws = new Workspace(common)) {
      Flow flow = ws.loadFlow(flowFile);
      Engine engine = ws.engine(runOptions.toSettings());
      PrintWriter out = spec.commandLine().getOut();
      RunResult[] result = new RunResult[1];
      // progress lines as the tasks run, then one summary (not a table per part of the run)
      RunReporter reporter = RunReporter.quietly(engine, runOptions, spec.commandLine());
      int code =
          reporter.run(
              flow.tasks().size(),
              0,
              () -> result[0] = engine.run(flow, Map.of("rows", Long.toString(rows))));
      if (result[0].state() == RunState.WAITING && autoApprove) {
        String runId = result[0].runId();
        engine.decide(
            runId, GATE, Decision.APPROVED, "demo --auto-approve", "approved by the demo itself");
        code = reporter.continueRun(runId);
      }
      if (!runOptions.json) {
        summary(out, ws, result[0].runId(), flowFile);
      }
      return code;
    }
  }

  private void summary(PrintWriter out, Workspace ws, String runId, Path flowFile) {
    RunState state = ws.store().findRun(runId).orElseThrow().state();
    out.println();
    out.println("summary of run " + runId + " (" + state + ")");
    Table t = new Table("TASK", "STATE", "DURATION", "RESULT");
    List<TaskRunRecord> records = ws.store().taskRuns(runId);
    for (TaskRunRecord r : records) {
      Duration d =
          r.startedAt() == null || r.endedAt() == null
              ? null
              : Duration.between(r.startedAt(), r.endedAt());
      Map<String, String> shown = new LinkedHashMap<>(r.outputs());
      shown.keySet().removeIf(k -> k.equals("breaches") || k.equals("file"));
      t.row(
          r.taskId(),
          r.state(),
          d == null ? null : Durations.format(d),
          RunViews.outputsLine(shown));
    }
    out.print(t.render());
    for (Approval a : ws.store().approvals(runId)) {
      out.println(RunViews.approvalLine(a));
    }
    Path home = common.home.toAbsolutePath().normalize();
    if (state == RunState.WAITING) {
      out.println();
      out.println("the deployment waits for a person (seed 000 keeps deployment manual):");
      records.stream()
          .filter(r -> r.taskId().equals(GATE) && r.error() != null)
          .forEach(r -> out.println("  request: " + r.error()));
      out.println(
          "  alphaflow approve "
              + runId
              + " "
              + GATE
              + common.homeFlag()
              + " --by NAME --comment TEXT   (or: alphaflow demo --auto-approve)");
    }
    out.println();
    out.println("state store : " + home.resolve("state.db"));
    out.println("task outputs: " + home.resolve("outputs").resolve(runId));
    out.println(
        "models      : "
            + home.resolve("models")
            + "  (alphaflow models list"
            + common.homeFlag()
            + ")");
    out.println(
        "logs        : "
            + home.resolve("logs").resolve(runId)
            + "  (events.jsonl + one file per task attempt)");
    out.println(
        "next        : alphaflow status "
            + runId
            + common.homeFlag()
            + " | alphaflow logs "
            + runId
            + " train"
            + common.homeFlag()
            + " | alphaflow graph "
            + fromHere(flowFile));
    out.flush();
  }

  /**
   * The path to give a command typed where the user is: relative when under the working directory,
   * else absolute (the demo runs from anywhere through bin/alphaflow).
   */
  private static Path fromHere(Path file) {
    Path here = Path.of("").toAbsolutePath();
    Path abs = file.toAbsolutePath().normalize();
    return abs.startsWith(here) ? here.relativize(abs) : abs;
  }
}
