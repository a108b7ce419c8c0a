package io.alphaflow.core.task;

import java.nio.file.Path;
import java.util.Map;

/** What one attempt of one task gets from the engine. */
public interface TaskContext {
  String runId();

  String flowName();

  String taskId();

  /** 1 for the first attempt. */
  int attempt();

  /** The task's config with every {@code ${...}} reference resolved. */
  Map<String, Object> config();

  /** The run's params, checked against their declared types. */
  Map<String, String> params();

  /** Writes to this attempt's log file. */
  TaskLog log();

  /**
   * A directory for this attempt's files, created on first call. It is moved into place only when
   * the attempt succeeds, so a failed attempt leaves no partial output behind.
   */
  Path outputDir();

  /**
   * Whether {@code file} lies in a published output of this engine's home. Published outputs never
   * change (a rerun replaces a task's directory, it does not rewrite its files), so a task whose
   * output would be byte for byte such a file may hard-link it into {@link #outputDir()} instead of
   * writing a copy. False for anything else, a user's own files included.
   */
  default boolean isPublishedOutput(Path file) {
    return false;
  }

  /** Set when the attempt must stop: timeout, run cancelled or timed out. */
  Cancellation cancellation();

  /** Publishes a named value that downstream tasks read as {@code ${tasks.ID.outputs.NAME}}. */
  void output(String name, String value);

  /** Guarded calls to external resources: shared circuit breakers and retries per resource. */
  ExternalCalls external();

  /** The decision that let this task start, if it waited for approval. */
  java.util.Optional<io.alphaflow.core.approval.Approval> approval();

  /** The model registry of this engine's home and store. */
  io.alphaflow.core.model.ModelRegistry models();
}
