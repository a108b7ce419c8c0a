package io.alphaflow.core.execution;

import java.util.Set;

/**
 * Whether a run may reuse cached results: {@link #USE} reuses them; {@code forceAll} or a task in
 * {@code forceTasks} recomputes (the new result is cached for later runs).
 */
public record CachePolicy(boolean forceAll, Set<String> forceTasks) {
  public static final CachePolicy USE = new CachePolicy(false, Set.of());

  public CachePolicy {
    forceTasks = Set.copyOf(forceTasks);
  }

  public boolean forced(String taskId) {
    return forceAll || forceTasks.contains(taskId);
  }
}
