package io.alphaflow.cli;

import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.run.TaskRunRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description = {
      "Run the bundled demo pipeline (examples/msft_returns.yaml on bundled MSFT prices)",
      "on the embedded store, then say what ran and where to look."
    })
final class DemoCommand implements Callable<Integer> {
  static final String FLOW = "examples/msft_returns.yaml";
  static final String DATA = "examples/data/msft_daily_ohlcv.csv";

  @Mixin CommonOptions common;
  @Mixin RunOptions runOptions;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Path install = Path.of(System.getProperty("alphaflow.install", "."));
    Path flowFile = install.resolve(FLOW);
    Path data = install.resolve(DATA);
    if (!Files.exists(flowFile) || !Files.exists(data)) {
      throw new NotFoundException(
          "the demo needs "
              + FLOW
              + " and "
              + DATA
              + " under "
              + install.toAbsolutePath()
              + ": run it from the alphaflow checkout, or through bin/alphaflow");
    }
    try (Workspace ws = new Workspace(common)) {
      Flow flow = ws.loadFlow(flowFile);
      Engine engine = ws.engine(runOptions.toSettings());
      PrintWriter out = spec.commandLine().getOut();
      RunResult[] result = new RunResult[1];
      int code =
          RunReporter.report(
              engine,
              runOptions,
              out,
              spec.commandLine().getErr(),
              flow.tasks().size(),
              0,
              () ->
                  result[0] = engine.run(flow, Map.of("input", data.toAbsolutePath().toString())));
      if (!runOptions.json) {
        printWhereToLook(out, result[0]);
      }
      return code;
    }
  }

  private void printWhereToLook(PrintWriter out, RunResult result) {
    out.println();
    result.tasks().stream()
        .filter(t -> t.taskId().equals("stats"))
        .map(TaskRunRecord::outputs)
        .filter(o -> !o.isEmpty())
        .findFirst()
        .ifPresent(
            o -> {
              out.println(
                  "MSFT "
                      + o.get("first_date")
                      + " .. "
                      + o.get("last_date")
                      + ": "
                      + o.get("days")
                      + " daily returns, mean "
                      + o.get("mean_daily_return")
                      + ", annualized volatility "
                      + o.get("annual_volatility")
                      + ", max drawdown "
                      + o.get("max_drawdown"));
            });
    Path home = common.home.toAbsolutePath().normalize();
    out.println("state store : " + home.resolve("state.db"));
    out.println("task outputs: " + home.resolve("outputs").resolve(result.runId()));
    out.println(
        "logs        : "
            + home.resolve("logs").resolve(result.runId())
            + "  (events.jsonl + one file per task attempt)");
    out.println(
        "next        : alphaflow status "
            + result.runId()
            + " | alphaflow logs "
            + result.runId()
            + " returns | alphaflow graph "
            + FLOW);
    out.flush();
  }
}
