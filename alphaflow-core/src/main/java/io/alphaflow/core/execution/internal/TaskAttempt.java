package io.alphaflow.core.execution.internal;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.artifact.Checkpoints;
import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.retry.Failure;
import io.alphaflow.core.task.Cancellation;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs one attempt on a worker thread and turns whatever happens into a {@link Completion}: the one
 * place where task exceptions become values. For a cached task it first computes the cache key and,
 * unless the run forces the task, reuses an earlier result made from the same inputs.
 */
final class TaskAttempt implements Runnable {
  /** How a cached task finds its key and an earlier result; null for tasks that are not cached. */
  interface Cache {
    String key(Map<String, Object> resolvedConfig) throws Exception;

    /**
     * A reusable earlier result for the key, or null when this attempt must compute it (also when
     * the run forces the task). Waits while another task run computes the same key.
     */
    Completion.CacheHit lookup(String key, Cancellation cancellation) throws InterruptedException;

    /**
     * Gives up this task run's claim on the key, once the attempt's outcome is committed (so a
     * waiting run finds the result, or computes it itself after a failure).
     */
    void release(String key);
  }

  private final Task task;
  private final Supplier<AttemptContext> context;
  private final Path outputTarget;
  private final String taskId;
  private final int attempt;
  private final Cache cache;
  private final boolean templated;
  private final Consumer<Completion> report;

  TaskAttempt(
      Task task,
      String taskId,
      int attempt,
      Supplier<AttemptContext> context,
      Path outputTarget,
      Cache cache,
      boolean templated,
      Consumer<Completion> report) {
    this.task = task;
    this.taskId = taskId;
    this.attempt = attempt;
    this.context = context;
    this.outputTarget = outputTarget;
    this.cache = cache;
    this.templated = templated;
    this.report = report;
  }

  @Override
  public void run() {
    AttemptContext ctx = null;
    String key = null;
    Failure failure;
    try {
      ctx = context.get();
      if (templated) {
        refuse(task.validate(ctx.config()));
      }
      if (cache != null) {
        key = cache.key(ctx.config());
        Completion.CacheHit hit = cache.lookup(key, ctx.cancellation());
        if (hit != null) {
          report.accept(
              new Completion(taskId, attempt, hit.from().outputs(), null, null, key, hit));
          return;
        }
      }
      task.execute(ctx);
      if (ctx.cancellation().isCancelled()) {
        failure = Failure.error("cancelled: " + ctx.cancellation().reason(), true);
      } else {
        ContentHash.Result files = null;
        if (ctx.usedOutputDir()) {
          files = ContentHash.of(ctx.stagingDir());
          OutputDirs.publish(ctx.stagingDir(), outputTarget);
          Checkpoints.markComplete(outputTarget, files);
        }
        report.accept(new Completion(taskId, attempt, ctx.outputs(), files, null, key, null));
        return;
      }
    } catch (TaskFailure e) {
      failure = e.failure();
      log(ctx, failure.message(), e.getCause());
    } catch (InterruptedException e) {
      failure = Failure.error("interrupted" + reason(ctx), true);
    } catch (InvalidInputException | NotFoundException e) {
      // what the user named is not there or not valid (a model never registered): said as it is,
      // and the same on every attempt
      failure = Failure.error(e.getMessage(), true);
      log(ctx, failure.message(), null);
    } catch (Throwable e) { // a task's bug must fail the task, never the engine
      failure = Failure.error(e.getClass().getSimpleName() + ": " + e.getMessage(), !retryable(e));
      log(ctx, "attempt " + attempt + " threw", e);
    }
    cleanUp(ctx);
    report.accept(new Completion(taskId, attempt, Map.of(), null, failure, key, null));
  }

  /**
   * Fails the attempt for good when the config its templates resolved to has problems: the flow's
   * load checked the values written in it, not those a param or an upstream output gives, and every
   * attempt resolves the same ones.
   */
  private static void refuse(List<ConfigProblem> problems) {
    String said = resolvedProblems(problems);
    if (said != null) {
      throw TaskFailure.nonRetryable(said);
    }
  }

  /** {@code problems} of a resolved config as one message, or null when there are none. */
  static String resolvedProblems(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      return null;
    }
    StringBuilder said = new StringBuilder("its config, with the ${...} values filled in: ");
    for (int i = 0; i < problems.size(); i++) {
      said.append(i == 0 ? "" : "; ").append(problems.get(i).inline());
    }
    return said.toString();
  }

  /** The type's word on {@code e}; a type that cannot say leaves it retryable. */
  private boolean retryable(Throwable e) {
    try {
      return task.retryable(e);
    } catch (RuntimeException ignored) {
      return true;
    }
  }

  private static String reason(AttemptContext ctx) {
    return ctx != null && ctx.cancellation().isCancelled()
        ? ": " + ctx.cancellation().reason()
        : "";
  }

  private static void log(AttemptContext ctx, String message, Throwable cause) {
    if (ctx != null) {
      try {
        ctx.log().error(message, cause);
      } catch (RuntimeException ignored) {
        // the failure is still reported through the completion
      }
    }
  }

  private static void cleanUp(AttemptContext ctx) {
    if (ctx != null && ctx.usedOutputDir()) {
      try {
        OutputDirs.delete(ctx.stagingDir());
      } catch (java.io.IOException ignored) {
        // a leftover staging dir is never read: only published dirs are
      }
    }
  }
}
