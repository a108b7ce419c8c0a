package io.alphaflow.core.retention;

import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.artifact.Checkpoints;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Deletes what retention lets go: the files of artifacts past their task's {@code retention_days},
 * and the logs of runs that ended longer ago than the log retention. Never those of a pinned run,
 * nor an artifact a keep rule protects (a model alias, once models exist). Lineage rows stay.
 */
public final class GarbageCollector {
  /** One thing deleted or kept, with its size and the reason. */
  public record Item(String kind, String what, String path, long bytes, String reason) {}

  /** What a collection did (or, dry, would do). */
  public record Report(List<Item> deleted, List<Item> kept, long freedBytes, boolean dryRun) {}

  private final Store store;
  private final Path home;
  private final Predicate<Artifact> keep;

  /** {@code keep}: artifacts that must stay whatever their retention (referenced elsewhere). */
  public GarbageCollector(Store store, Path home, Predicate<Artifact> keep) {
    this.store = store;
    this.home = home;
    this.keep = keep;
  }

  public Report collect(Instant now, Duration logRetention, boolean dryRun) {
    List<Item> deleted = new ArrayList<>();
    List<Item> kept = new ArrayList<>();
    for (Artifact a : store.expiredArtifacts(now)) {
      String what = a.shortHash() + " (" + a.taskId() + " of run " + a.runId() + ")";
      if (store.isPinned(a.runId())) {
        kept.add(
            new Item("artifact", what, a.path(), a.sizeBytes(), "run " + a.runId() + " is pinned"));
        continue;
      }
      if (keep.test(a)) {
        kept.add(new Item("artifact", what, a.path(), a.sizeBytes(), "still referenced"));
        continue;
      }
      Path dir = Path.of(a.path());
      long bytes = Checkpoints.size(dir);
      if (!dryRun) {
        delete(dir);
        store.markArtifactDeleted(a, now);
      }
      deleted.add(new Item("artifact", what, a.path(), bytes, "expired " + a.expiresAt()));
    }
    Instant cutoff = now.minus(logRetention);
    for (RunRecord r : store.recentRuns(Integer.MAX_VALUE)) {
      Path logs = home.resolve("logs").resolve(r.runId());
      if (r.endedAt() == null || r.endedAt().isAfter(cutoff) || !logs.toFile().exists()) {
        continue;
      }
      long bytes = Checkpoints.size(logs);
      if (store.isPinned(r.runId())) {
        kept.add(
            new Item("logs", "logs of run " + r.runId(), logs.toString(), bytes, "run is pinned"));
        continue;
      }
      if (!dryRun) {
        delete(logs);
      }
      deleted.add(
          new Item(
              "logs",
              "logs of run " + r.runId(),
              logs.toString(),
              bytes,
              "run ended " + r.endedAt()));
    }
    long freed = deleted.stream().mapToLong(Item::bytes).sum();
    return new Report(deleted, kept, freed, dryRun);
  }

  private static void delete(Path dir) {
    try {
      Checkpoints.deleteTree(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
