package io.alphaflow.core.execution.internal;

import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.retry.Failure;
import io.alphaflow.core.run.TaskRunRecord;
import java.util.Map;

/**
 * What a worker reports when an attempt ends: outputs and the hash of its files (null when it wrote
 * none) on success, or the failure as data; the attempt's cache key (null when the task is not
 * cached) and, when an earlier result was reused instead of running, where it came from.
 */
record Completion(
    String taskId,
    int attempt,
    Map<String, String> outputs,
    ContentHash.Result files,
    Failure failure,
    String cacheKey,
    CacheHit hit) {

  /** An earlier task run's result, reused: its record and its output directory (or null). */
  record CacheHit(TaskRunRecord from, String dir) {}

  boolean succeeded() {
    return failure == null;
  }
}
