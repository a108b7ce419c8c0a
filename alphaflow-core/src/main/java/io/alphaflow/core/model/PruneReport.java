package io.alphaflow.core.model;

import java.util.List;

/**
 * What {@link ModelRegistry#prune} did to a model's versions, or with {@code dryRun} would do: each
 * version, what happened to its files and why.
 */
public record PruneReport(String name, List<Item> items, boolean dryRun) {
  /** What happened to one version's files. */
  public enum Action {
    /**
     * Its model and data files were deleted, its records (JSON, YAML, Markdown, text) kept (or
     * would be, in a dry run).
     */
    PRUNED,
    /** Its files stay: an alias points or pointed at it, it is among the newest, or in use. */
    KEPT,
    /** An earlier prune deleted its files. */
    PRUNED_BEFORE
  }

  /** One version: the bytes its deletable files take (or took, when pruned) and why. */
  public record Item(ModelVersion version, Action action, long bytes, String why) {}

  public PruneReport {
    items = List.copyOf(items);
  }

  /** The bytes this prune freed (or would free). */
  public long freedBytes() {
    return items.stream().filter(i -> i.action() == Action.PRUNED).mapToLong(Item::bytes).sum();
  }
}
