package io.alphaflow.core.execution.internal;

import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.retry.Failure;
import java.util.Map;

/**
 * What a worker reports when an attempt ends: outputs and the hash of its files (null when it wrote
 * none) on success, or the failure as data.
 */
record Completion(
    String taskId,
    int attempt,
    Map<String, String> outputs,
    ContentHash.Result files,
    Failure failure) {
  boolean succeeded() {
    return failure == null;
  }
}
