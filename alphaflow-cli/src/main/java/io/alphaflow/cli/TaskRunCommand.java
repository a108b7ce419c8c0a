package io.alphaflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.RetrySpec;
import io.alphaflow.core.flow.TaskDefaults;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.store.memory.InMemoryStore;
import io.alphaflow.core.task.TaskRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "task",
    description =
        "Run one task type outside any flow, through the same engine code path. "
            + "--input sets the config's input (path for ingest, model for register); --output is a "
            + "directory, or a .parquet file for the main dataset with the other files beside it. "
            + "register, promote and score work on the model registry of --home.")
final class TaskRunCommand implements Callable<Integer> {
  /** The config key --input sets, where a type does not call it {@code input}. */
  private static final Map<String, String> INPUT_KEYS =
      Map.of("ingest", "path", "register", "model");

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TYPE", description = "The task type, e.g. features.")
  String type;

  @Option(names = "--input", paramLabel = "PATH", description = "Input file or directory.")
  String input;

  @Option(
      names = "--output",
      paramLabel = "PATH",
      required = true,
      description = "Where the outputs go.")
  Path output;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The task's config as YAML or JSON.")
  Path configFile;

  @Option(
      names = "--model-type",
      paramLabel = "KIND",
      description =
          "train only: regression (the target as is) or classification (above the training"
              + " window's median, as in seed 000).")
  String modelType;

  @Override
  public Integer call() throws IOException {
    TaskRegistry tasks = TaskRegistry.loadDefault();
    if (!tasks.names().contains(type)) {
      throw new InvalidInputException(
          "unknown task type '" + type + "' (known: " + String.join(", ", tasks.names()) + ")");
    }
    Map<String, Object> config = readConfig();
    if (input != null) {
      config.put(INPUT_KEYS.getOrDefault(type, "input"), input);
    }
    if (modelType != null) {
      if (!type.equals("train")) {
        throw new InvalidInputException("--model-type applies to task train only, not " + type);
      }
      if (!List.of("regression", "classification").contains(modelType)) {
        throw new InvalidInputException(
            "--model-type must be regression or classification, was '" + modelType + "'");
      }
      config.put("kind", modelType);
      if (modelType.equals("classification") && !config.containsKey("model")) {
        config.put("model", Map.of("type", "logistic_regression"));
      }
    }
    List<ConfigProblem> problems = tasks.validate(type, config);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(
          "task "
              + type
              + " config: "
              + problems.stream()
                  .map(
                      p ->
                          (p.path().isEmpty() ? "" : "'" + p.path() + "': ")
                              + p.message()
                              + (p.hint() == null ? "" : " (" + p.hint() + ")"))
                  .collect(java.util.stream.Collectors.joining("; ")));
    }
    // a throwaway state directory: the outputs move to --output, the logs stay only on failure
    Path home = Files.createTempDirectory("alphaflow-task-");
    TaskDefaults once =
        new TaskDefaults(
            new RetrySpec(1, null, null, null, null, null, null, null, null), null, null, null);
    Flow flow =
        new Flow(
            "task-" + type,
            null,
            Map.of(),
            1,
            null,
            once,
            List.of(),
            List.of(
                new TaskSpec(
                    type, type, null, config, List.of(), null, null, null, null, false, null, null,
                    null)),
            Map.of(),
            null,
            null);
    boolean keepLogs = false;
    // the run itself is throwaway; a type that registers, promotes or scores works on the registry
    // of --home (default .alphaflow), where flows keep their models
    boolean registry = tasks.get(type).usesModelRegistry();
    try (Workspace ws = registry ? new Workspace(common) : null;
        InMemoryStore store = new InMemoryStore();
        Engine engine =
            Engine.builder(store)
                .tasks(tasks)
                .home(home)
                .models(registry ? ModelViews.registry(ws) : null)
                .build()) {
      RunResult result = engine.run(flow, Map.of());
      TaskRunRecord task = result.tasks().get(0);
      if (result.state() != RunState.SUCCEEDED) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("alphaflow task " + type + ": " + task.error());
        Path log = home.resolve("logs").resolve(result.runId());
        keepLogs = Files.isDirectory(log);
        if (keepLogs) {
          err.println("task log: " + log);
        }
        return ExitCode.RUN_FAILED.code();
      }
      place(home.resolve("outputs").resolve(result.runId()).resolve(type));
      spec.commandLine()
          .getOut()
          .println(
              type + ": ok -> " + output + (task.outputs().isEmpty() ? "" : " " + task.outputs()));
      return ExitCode.OK.code();
    } finally {
      deleteTree(keepLogs ? home.resolve("outputs") : home);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Map<String, Object> readConfig() {
    if (configFile == null) {
      return new LinkedHashMap<>();
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> m =
          new ObjectMapper(new YAMLFactory()).readValue(configFile.toFile(), Map.class);
      return m == null ? new LinkedHashMap<>() : new LinkedHashMap<>(m);
    } catch (IOException e) {
      throw new InvalidInputException(
          "cannot read config "
              + configFile
              + ": "
              + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  /** Moves the task's outputs to --output: a directory, or a .parquet path for the main dataset. */
  private void place(Path produced) throws IOException {
    if (!Files.isDirectory(produced)) {
      Files.createDirectories(output);
      return;
    }
    boolean file = output.getFileName().toString().endsWith(".parquet");
    Path dir = file ? output.toAbsolutePath().getParent() : output;
    Files.createDirectories(dir);
    String stem = file ? output.getFileName().toString().replaceFirst("\\.parquet$", "") : null;
    try (Stream<Path> files = Files.list(produced)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        Path target =
            !file
                ? dir.resolve(name)
                : name.equals("data.parquet")
                    ? output
                    // x.metadata.json beside x.parquet; the hidden marker .ok as x.ok
                    : dir.resolve(stem + (name.startsWith(".") ? "" : ".") + name);
        Files.move(f, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
