package io.alphaflow.core.testkit;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Type {@code flaky}: fails its first {@code config.fail_times} attempts (exit code {@code
 * config.exit_code}, default 1), writing a partial file into its output dir first, then succeeds.
 * {@code config.non_retryable: true} makes the failures non-retryable errors instead.
 */
public final class FlakyTask implements Task {
  @Override
  public String type() {
    return "flaky";
  }

  @Override
  public List<ConfigProblem> validate(Map<String, Object> config) {
    Object times = config.getOrDefault("fail_times", 0);
    return (times instanceof Integer || times instanceof Long) && ((Number) times).longValue() >= 0
        ? List.of()
        : List.of(new ConfigProblem("fail_times", "not a count: " + times, "e.g. fail_times: 2"));
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Files.writeString(ctx.outputDir().resolve("attempt-" + ctx.attempt() + ".part"), "partial");
    int failTimes = ((Number) ctx.config().getOrDefault("fail_times", 0)).intValue();
    if (ctx.attempt() <= failTimes) {
      if (Boolean.TRUE.equals(ctx.config().get("non_retryable"))) {
        throw TaskFailure.nonRetryable("bad input on attempt " + ctx.attempt());
      }
      int code = ((Number) ctx.config().getOrDefault("exit_code", 1)).intValue();
      throw TaskFailure.exitCode(code, "simulated exit code " + code);
    }
    Files.writeString(
        ctx.outputDir().resolve("result.txt"),
        "done on attempt " + ctx.attempt() + " by " + ctx.taskId());
  }
}
