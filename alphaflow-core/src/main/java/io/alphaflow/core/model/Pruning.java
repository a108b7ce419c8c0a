package io.alphaflow.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.model.PruneReport.Action;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** {@link ModelRegistry#prune}: which versions of a model nothing may need, and their deletion. */
final class Pruning {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ModelRegistry registry;
  private final Store store;
  private final InstantSource clock;

  Pruning(ModelRegistry registry, Store store, InstantSource clock) {
    this.registry = registry;
    this.store = store;
    this.clock = clock;
  }

  PruneReport prune(String name, int keep, List<String> pinned, String by, boolean dryRun) {
    if (keep < 0) {
      throw new InvalidInputException(
          "keep must be 0 or more (how many newest versions, and rollback targets of each alias,"
              + " to keep), got "
              + keep);
    }
    Map<String, String> needed = new HashMap<>();
    for (String v : pinned) {
      needed.put(v, "kept by name (--keep-version)");
    }
    for (String alias : ModelRegistry.ALIASES) {
      store.alias(name, alias).ifPresent(v -> needed.putIfAbsent(v, "the " + alias));
      int step = 0;
      for (String v : registry.rollbackStack(name, alias)) {
        if (step > 0 && step <= keep) {
          needed.putIfAbsent(
              v,
              step == 1
                  ? "the " + alias + "'s next rollback returns to it"
                  : "the " + alias + " returns to it after " + step + " rollbacks");
        }
        step++;
      }
    }
    List<ModelVersion> newestFirst = new ArrayList<>(store.modelVersions(name));
    newestFirst.sort(
        Comparator.comparing(ModelVersion::createdAt)
            .thenComparing(ModelVersion::version)
            .reversed());
    for (int i = 0; i < Math.min(keep, newestFirst.size()); i++) {
      needed.putIfAbsent(
          newestFirst.get(i).version(),
          keep == 1 ? "the newest" : "one of the " + keep + " newest");
    }
    List<PruneReport.Item> items = new ArrayList<>();
    for (ModelVersion v : newestFirst) {
      items.add(prune(v, needed.get(v.version()), by, dryRun));
    }
    return new PruneReport(name, items, dryRun);
  }

  private PruneReport.Item prune(ModelVersion v, String needed, String by, boolean dryRun) {
    Path dir = registry.dir(v.name(), v.version());
    try {
      List<Path> files = deletable(dir);
      long bytes = 0;
      for (Path f : files) {
        bytes += Files.size(f);
      }
      Optional<Map<String, Object>> before = registry.pruned(v);
      if (before.isPresent() && files.isEmpty()) {
        Object freed = before.get().get("bytes");
        return new PruneReport.Item(
            v,
            Action.PRUNED_BEFORE,
            freed instanceof Number n ? n.longValue() : 0,
            "on " + before.get().get("pruned_at") + " by " + before.get().get("by"));
      }
      if (!Files.isDirectory(dir)) {
        return new PruneReport.Item(
            v, Action.PRUNED_BEFORE, 0, "its directory " + dir + " is gone, deleted by hand");
      }
      String running = needed != null ? null : unfinishedRun(v);
      if (needed != null || running != null) {
        return new PruneReport.Item(v, Action.KEPT, bytes, needed != null ? needed : running);
      }
      if (!dryRun) {
        // the mark first: a prune cut short leaves a version marked, never one half gone unmarked
        Map<String, Object> mark = new LinkedHashMap<>();
        mark.put("pruned_at", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        mark.put("by", by);
        mark.put("deleted", files.stream().map(f -> f.getFileName().toString()).toList());
        mark.put("bytes", bytes);
        Path tmp = dir.resolve(ModelRegistry.PRUNED_FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), mark);
        Files.move(
            tmp,
            dir.resolve(ModelRegistry.PRUNED_FILE),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        for (Path f : files) {
          Files.delete(f);
        }
      }
      return new PruneReport.Item(
          v,
          Action.PRUNED,
          bytes,
          "older than the --keep newest, and no rollback within --keep returns to it");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prune version " + v.shortVersion() + " of model '" + v.name() + "' in " + dir, e);
    }
  }

  /** What a pruned version keeps: its records (manifest, metrics, deployment manifest). */
  private static final Pattern RECORD = Pattern.compile(".*\\.(json|ya?ml|md|txt)");

  /** The files prune deletes from a version's directory: the model and data, not the records. */
  private static List<Path> deletable(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !RECORD.matcher(f.getFileName().toString()).matches())
          .sorted()
          .toList();
    }
  }

  /** Why a version's run may still need it (it has not ended), or null. */
  private String unfinishedRun(ModelVersion v) {
    return v.runId() == null
        ? null
        : store
            .findRun(v.runId())
            .filter(r -> !r.state().isTerminal())
            .map(RunRecord::state)
            .map(s -> "registered by run " + v.runId() + ", which is " + s + ": it may promote it")
            .orElse(null);
  }
}
