package io.alphaflow.core.backup;

import java.time.Instant;
import java.util.Objects;

/** One artifact copy to make (or made) to object storage. */
public record BackupItem(
    String runId,
    String taskId,
    String hash,
    String target,
    boolean uploaded,
    int attempts,
    String lastError,
    Instant updatedAt) {

  public BackupItem {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(target, "target");
  }

  public BackupItem failed(String error, Instant at) {
    return new BackupItem(runId, taskId, hash, target, false, attempts + 1, error, at);
  }

  public BackupItem done(Instant at) {
    return new BackupItem(runId, taskId, hash, target, true, attempts + 1, null, at);
  }
}
