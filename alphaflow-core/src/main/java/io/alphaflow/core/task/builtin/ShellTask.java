package io.alphaflow.core.task.builtin;

import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.Templates;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a command given as an argument list, never through a shell string built from params. Output
 * goes to the attempt's log; the exit code decides. The process sees ALPHAFLOW_RUN_ID,
 * ALPHAFLOW_TASK_ID, ALPHAFLOW_ATTEMPT, ALPHAFLOW_OUTPUT_DIR, ALPHAFLOW_PARAM_&lt;NAME&gt; and
 * ALPHAFLOW_OUTPUTS, a file where {@code name=value} lines publish outputs.
 */
public final class ShellTask implements Task {
  private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "zsh", "ksh");

  @Override
  public String type() {
    return "shell";
  }

  @Override
  public List<ConfigProblem> validate(Map<String, Object> config) {
    List<ConfigProblem> problems = new ArrayList<>();
    Object command = config.get("command");
    if (!(command instanceof List<?> args) || args.isEmpty()) {
      problems.add(
          new ConfigProblem(
              command == null ? "" : "command",
              command == null ? "missing 'command'" : "'command' must be a non-empty list",
              "write the command as a list of arguments: command: [\"python3\", \"fit.py\"]"));
      return problems;
    }
    for (int i = 0; i < args.size(); i++) {
      if (!(args.get(i) instanceof String || args.get(i) instanceof Number)) {
        problems.add(
            new ConfigProblem("command[" + i + "]", "each argument must be text", "quote it"));
      }
    }
    String program = Path.of(String.valueOf(args.get(0))).getFileName().toString();
    if (SHELLS.contains(program)) {
      for (int i = 1; i + 1 < args.size(); i++) {
        if ("-c".equals(args.get(i))
            && Templates.containsReference(String.valueOf(args.get(i + 1)))) {
          problems.add(
              new ConfigProblem(
                  "command[" + (i + 1) + "]",
                  "a ${...} reference inside a "
                      + program
                      + " -c script would be pasted into"
                      + " shell code",
                  "pass it through env instead: env: {N: \"${params.n}\"} and use \"$N\" in the"
                      + " script"));
        }
      }
    }
    Object env = config.get("env");
    if (env != null && !(env instanceof Map<?, ?>)) {
      problems.add(new ConfigProblem("env", "'env' must be a mapping", "env: {KEY: value}"));
    }
    Object dir = config.get("working_dir");
    if (dir != null && !(dir instanceof String)) {
      problems.add(new ConfigProblem("working_dir", "'working_dir' must be a path", null));
    }
    return problems;
  }

  /**
   * The config, and the content hash of every file an argument of the command names (a script, a
   * data file, the value of an {@code --option=file}) or an {@code env:} value names, relative to
   * {@code working_dir}: a cached shell task runs again when its script or its inputs change, not
   * only when its command line does. Directories are not read.
   */
  @Override
  public Object cacheIdentity(Map<String, Object> resolvedConfig) throws IOException {
    Object dir = resolvedConfig.get("working_dir");
    Path base = dir != null ? Path.of(String.valueOf(dir)) : Path.of("");
    Map<String, String> files = new TreeMap<>();
    if (resolvedConfig.get("command") instanceof List<?> args) {
      for (Object a : args) {
        String arg = String.valueOf(a);
        hashIfFile(base, arg, arg, files);
        int eq = arg.indexOf('=');
        if (eq > 0) {
          hashIfFile(base, arg.substring(eq + 1), arg, files); // --config=params.json
        }
      }
    }
    if (resolvedConfig.get("env") instanceof Map<?, ?> env) {
      for (Map.Entry<?, ?> e : env.entrySet()) {
        hashIfFile(base, String.valueOf(e.getValue()), "env " + e.getKey(), files);
      }
    }
    if (files.isEmpty()) {
      return resolvedConfig;
    }
    Map<String, Object> identity = new LinkedHashMap<>(resolvedConfig);
    identity.put("named_files", files);
    return identity;
  }

  /** Puts the content hash of {@code candidate} under {@code as} when it names a file. */
  private static void hashIfFile(Path base, String candidate, String as, Map<String, String> files)
      throws IOException {
    Path file;
    try {
      file = candidate.isEmpty() ? null : base.resolve(candidate);
    } catch (InvalidPathException e) {
      return; // not a path: an option or a value
    }
    if (file != null && Files.isRegularFile(file)) {
      files.put(as, ContentHash.ofFile(file));
    }
  }

  @Override
  public void execute(TaskContext ctx) throws IOException, InterruptedException {
    List<String> command =
        ((List<?>) ctx.config().get("command")).stream().map(String::valueOf).toList();
    ProcessBuilder pb = new ProcessBuilder(command);
    Path logFile = ctx.log().file();
    Files.createDirectories(logFile.getParent());
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Object dir = ctx.config().get("working_dir");
    if (dir != null) {
      pb.directory(new File(String.valueOf(dir)));
    }
    Path outputs = Files.createTempFile("alphaflow-outputs-", ".txt");
    try {
      Map<String, String> env = pb.environment();
      env.put("ALPHAFLOW_RUN_ID", ctx.runId());
      env.put("ALPHAFLOW_FLOW", ctx.flowName());
      env.put("ALPHAFLOW_TASK_ID", ctx.taskId());
      env.put("ALPHAFLOW_ATTEMPT", Integer.toString(ctx.attempt()));
      env.put("ALPHAFLOW_OUTPUT_DIR", ctx.outputDir().toString());
      env.put("ALPHAFLOW_OUTPUTS", outputs.toString());
      ctx.params().forEach((k, v) -> env.put("ALPHAFLOW_PARAM_" + k.toUpperCase(Locale.ROOT), v));
      if (ctx.config().get("env") instanceof Map<?, ?> extra) {
        extra.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
      }
      ctx.log().info("$ " + quoted(command));
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw TaskFailure.nonRetryable(
            "cannot start '"
                + command.get(0)
                + "': "
                + e.getMessage()
                + " (is it installed and on PATH?)");
      }
      ctx.cancellation().onCancel(() -> kill(process));
      int code;
      try {
        code = process.waitFor();
      } catch (InterruptedException e) {
        kill(process);
        throw e;
      }
      ctx.cancellation().throwIfCancelled();
      if (code != 0) {
        throw TaskFailure.exitCode(code, "command exited with code " + code + lastLine(logFile));
      }
      publish(ctx, outputs);
    } finally {
      Files.deleteIfExists(outputs);
    }
  }

  private static void publish(TaskContext ctx, Path outputs) throws IOException {
    for (String line : Files.readAllLines(outputs, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        ctx.output(line.substring(0, eq).trim(), line.substring(eq + 1));
      }
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static String lastLine(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String l = lines.get(i).strip();
        if (!l.isEmpty() && !l.startsWith("$ ") && !l.matches("^\\S+ (INFO|WARN)  .*")) {
          return " (last output: " + (l.length() > 200 ? l.substring(0, 200) + "..." : l) + ")";
        }
      }
    } catch (IOException e) {
      // the message is still useful without the last line
    }
    return "";
  }

  /**
   * The command as a POSIX shell would take it, so the log's {@code $ ...} line can be pasted to
   * run it again by hand: an argument with a space, a quote or a shell character is single-quoted.
   */
  static String quoted(List<String> command) {
    StringBuilder sb = new StringBuilder();
    for (String arg : command) {
      sb.append(sb.isEmpty() ? "" : " ");
      if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) {
        sb.append(arg);
      } else {
        sb.append('\'').append(arg.replace("'", "'\\''")).append('\'');
      }
    }
    return sb.toString();
  }
}
