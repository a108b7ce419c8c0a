package io.alphaflow.cli;

import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.flow.Flow;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run a flow and wait for it to end (or --detach).")
final class FlowRunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin RunOptions runOptions;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FLOW", description = "The flow YAML file.")
  Path file;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A flow param; repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--detach", description = "Start the run in the background and return its id.")
  boolean detach;

  @Override
  public Integer call() throws IOException {
    try (Workspace ws = new Workspace(common)) {
      Flow flow = ws.loadFlow(file);
      Engine engine = ws.engine(runOptions.toSettings());
      if (detach) {
        String runId = engine.create(flow, params);
        startInBackground(runId);
        var out = spec.commandLine().getOut();
        if (runOptions.json) {
          out.println(Json.write(Map.of("run_id", runId, "state", "RUNNING")));
        } else {
          out.println(runId);
        }
        return ExitCode.OK.code();
      }
      return RunReporter.printing(engine, runOptions, spec.commandLine(), common)
          .run(flow.tasks().size(), 0, () -> engine.run(flow, params, runOptions.cachePolicy()));
    }
  }

  /** A child JVM resumes the stored run; it outlives this process. */
  private void startInBackground(String runId) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of("resume", runId, "--created", "--quiet", "--home", common.home.toString()));
    cmd.addAll(runOptions.asArguments());
    Path log = common.home.resolve("logs").resolve(runId).resolve("detached.log");
    Files.createDirectories(log.getParent());
    new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
  }
}
