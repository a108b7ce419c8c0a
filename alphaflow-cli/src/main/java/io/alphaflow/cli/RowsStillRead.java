package io.alphaflow.cli;

import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.store.Store;
import io.alphaflow.quant.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The gc keep rule for files other artifacts read: an expired artifact stays while an artifact that
 * is kept (not expired, of a pinned run, or itself still read) adds its columns to this one's rows
 * ({@link Dataset#readsRowsOf}) — features beside the data they describe, a label beside the
 * features it labels. Without it, gc would leave a kept label unreadable.
 */
final class RowsStillRead implements Predicate<Artifact> {
  private final Store store;
  private final Instant now;
  private final Map<String, Boolean> known = new HashMap<>();

  RowsStillRead(Store store, Instant now) {
    this.store = store;
    this.now = now;
  }

  @Override
  public boolean test(Artifact a) {
    Boolean k = known.get(a.hash());
    if (k == null) {
      k = false;
      Path dir = Path.of(a.path()).toAbsolutePath().normalize();
      for (Artifact c : store.consumersOf(a.hash())) {
        Path consumer = Path.of(c.path());
        if (Files.isDirectory(consumer)
            && Dataset.readsRowsOf(consumer)
                .map(base -> base.toAbsolutePath().normalize().startsWith(dir))
                .orElse(false)
            && kept(c)) {
          k = true;
          break;
        }
      }
      known.put(a.hash(), k);
    }
    return k;
  }

  private boolean kept(Artifact c) {
    return c.expiresAt() == null
        || c.expiresAt().isAfter(now)
        || store.isPinned(c.runId())
        || test(c);
  }
}
