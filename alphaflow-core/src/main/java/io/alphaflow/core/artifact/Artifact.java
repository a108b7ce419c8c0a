package io.alphaflow.core.artifact;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Files a task run produced, named by their content hash, with lineage: the task run that made them
 * and the artifacts of the upstream tasks it read.
 */
public record Artifact(
    String hash,
    String runId,
    String taskId,
    String taskType,
    String codeVersion,
    String path,
    long sizeBytes,
    int files,
    Instant createdAt,
    List<String> inputs,
    Instant expiresAt) {

  public Artifact {
    Objects.requireNonNull(hash, "hash");
    inputs = List.copyOf(inputs);
  }

  public String shortHash() {
    return hash.substring(0, Math.min(12, hash.length()));
  }
}
