package io.alphaflow.core.backup;

import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventType;
import io.alphaflow.core.resilience.Breakers;
import io.alphaflow.core.resilience.ResourceSpec;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.store.StoreBatch;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Uploads queued artifact copies through a circuit breaker per bucket, with retries, so an
 * object-store outage neither fails a pipeline nor loses a copy: a failed upload stays queued, is
 * retried by the next {@link #flush()}, and raises a SYSTEM_ALERT event on its run.
 */
public final class Backups {
  private static final ResourceSpec OBJECT_STORE =
      new ResourceSpec(3, Duration.ofSeconds(30), 3, Duration.ofMillis(200));

  private final Store store;
  private final Breakers breakers;
  private final InstantSource clock;
  private final Map<String, BackupTarget> targets = new HashMap<>();

  public Backups(Store store, Breakers breakers, InstantSource clock, ClassLoader loader) {
    this.store = store;
    this.breakers = breakers;
    this.clock = clock;
    ServiceLoader.load(BackupTarget.class, loader).forEach(t -> targets.put(t.scheme(), t));
  }

  /** Tries every queued upload once (with its retries); returns how many are still queued. */
  public int flush() {
    int left = 0;
    for (BackupItem item : store.pendingBackups()) {
      if (!upload(item)) {
        left++;
      }
    }
    return left;
  }

  /** Uploads one item; on failure records it and raises an alert. True if it is now uploaded. */
  public boolean upload(BackupItem item) {
    URI target = URI.create(item.target());
    Artifact artifact = store.artifactOf(item.runId(), item.taskId()).orElse(null);
    try {
      BackupTarget t = target(target);
      if (artifact == null) {
        throw new IllegalStateException("artifact of " + item.taskId() + " is not recorded");
      }
      breakers
          .forAttempt(
              Map.of(resource(target), OBJECT_STORE), (r, change) -> alert(item, r + " " + change))
          .call(
              resource(target),
              () -> {
                t.upload(target, artifact, Path.of(artifact.path()));
                return null;
              });
      store.updateBackup(item.done(clock.instant()));
      return true;
    } catch (Exception e) {
      String why =
          e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
      store.updateBackup(item.failed(why, clock.instant()));
      alert(
          item,
          "backup of "
              + item.taskId()
              + " to "
              + item.target()
              + " failed (attempt "
              + (item.attempts() + 1)
              + "), kept queued: "
              + why
              + "; 'alphaflow backup flush' retries");
      return false;
    }
  }

  /** Copies an artifact back from its backup into {@code dir}. */
  public void restore(BackupItem item, Path dir) throws Exception {
    if (!item.uploaded()) {
      throw new NotFoundException(
          "the backup of "
              + item.taskId()
              + " of run "
              + item.runId()
              + " was never uploaded (last error: "
              + item.lastError()
              + ")");
    }
    URI target = URI.create(item.target());
    Artifact artifact = store.artifactOf(item.runId(), item.taskId()).orElseThrow();
    target(target).download(target, artifact, dir);
  }

  public List<BackupItem> pending() {
    return store.pendingBackups();
  }

  private BackupTarget target(URI uri) {
    BackupTarget t = targets.get(uri.getScheme());
    if (t == null) {
      throw new IllegalStateException(
          "no backup target for '" + uri.getScheme() + "://' on the class path");
    }
    return t;
  }

  private static String resource(URI target) {
    return "backup:" + target.getScheme() + "://" + target.getAuthority();
  }

  private void alert(BackupItem item, String message) {
    store.commit(
        new StoreBatch(
            null,
            List.of(),
            List.of(
                new Event(
                    item.runId(),
                    EventType.SYSTEM_ALERT,
                    item.taskId(),
                    0,
                    clock.instant(),
                    message))));
  }
}
