package io.alphaflow.core.dag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A directed acyclic graph of task ids, edges pointing from a task to the tasks that depend on it.
 * Nodes keep declaration order, so every traversal is deterministic.
 */
public final class Dag {
  private final Map<String, List<String>> upstream;
  private final Map<String, List<String>> downstream;

  private Dag(Map<String, List<String>> upstream) {
    this.upstream = upstream;
    Map<String, List<String>> down = new LinkedHashMap<>();
    upstream.keySet().forEach(id -> down.put(id, new ArrayList<>()));
    upstream.forEach((id, ups) -> ups.forEach(u -> down.get(u).add(id)));
    this.downstream = down;
  }

  /**
   * Builds the graph from each node's dependencies (in declaration order). Throws {@link
   * IllegalArgumentException} for a dependency on an unknown node or a cycle; use {@link
   * #findCycle(Map)} first to report cycles nicely.
   */
  public static Dag of(Map<String, List<String>> dependencies) {
    Map<String, List<String>> ups = new LinkedHashMap<>();
    dependencies.forEach(
        (id, deps) -> {
          for (String d : deps) {
            if (!dependencies.containsKey(d)) {
              throw new IllegalArgumentException("'" + id + "' depends on unknown '" + d + "'");
            }
          }
          ups.put(id, List.copyOf(deps));
        });
    findCycle(ups)
        .ifPresent(
            c -> {
              throw new IllegalArgumentException("cycle: " + String.join(" -> ", c));
            });
    return new Dag(Collections.unmodifiableMap(ups));
  }

  /**
   * A cycle as a path that starts and ends at the same node ({@code a -> b -> a}), if there is one.
   * Dependencies on unknown nodes are ignored here.
   */
  public static Optional<List<String>> findCycle(Map<String, List<String>> dependencies) {
    Map<String, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    for (String start : dependencies.keySet()) {
      if (state.containsKey(start)) {
        continue;
      }
      Deque<String> path = new ArrayDeque<>();
      Deque<Integer> nextChild = new ArrayDeque<>();
      path.push(start);
      nextChild.push(0);
      state.put(start, 1);
      while (!path.isEmpty()) {
        String node = path.peek();
        List<String> deps = dependencies.getOrDefault(node, List.of());
        int i = nextChild.pop();
        if (i == deps.size()) {
          state.put(node, 2);
          path.pop();
          continue;
        }
        nextChild.push(i + 1);
        String dep = deps.get(i);
        if (!dependencies.containsKey(dep)) {
          continue;
        }
        Integer s = state.get(dep);
        if (s == null) {
          state.put(dep, 1);
          path.push(dep);
          nextChild.push(0);
        } else if (s == 1) {
          // path holds dependency edges (node depends on dep); print in run order: dep first
          List<String> onPath = new ArrayList<>(path);
          List<String> cycle = new ArrayList<>(onPath.subList(0, onPath.indexOf(dep) + 1));
          cycle.add(0, dep);
          return Optional.of(cycle);
        }
      }
    }
    return Optional.empty();
  }

  public List<String> nodes() {
    return List.copyOf(upstream.keySet());
  }

  public List<String> upstreamOf(String id) {
    return upstream.get(id);
  }

  public List<String> downstreamOf(String id) {
    return downstream.get(id);
  }

  /** Every node {@code id} depends on, directly or not. */
  public Set<String> ancestorsOf(String id) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(upstream.get(id));
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (seen.add(n)) {
        todo.addAll(upstream.get(n));
      }
    }
    return seen;
  }

  /** Nodes grouped by depth: layer 0 has no dependencies, layer k depends on layer k-1 at most. */
  public List<List<String>> layers() {
    Map<String, Integer> depth = new HashMap<>();
    List<List<String>> layers = new ArrayList<>();
    for (String id : topologicalOrder()) {
      int d = upstream.get(id).stream().mapToInt(u -> depth.get(u) + 1).max().orElse(0);
      depth.put(id, d);
      while (layers.size() <= d) {
        layers.add(new ArrayList<>());
      }
      layers.get(d).add(id);
    }
    return layers;
  }

  /** Kahn's order, ties broken by declaration order. */
  public List<String> topologicalOrder() {
    Map<String, Integer> remaining = new HashMap<>();
    upstream.forEach((id, ups) -> remaining.put(id, ups.size()));
    List<String> order = new ArrayList<>();
    Deque<String> ready = new ArrayDeque<>();
    upstream.keySet().stream().filter(id -> remaining.get(id) == 0).forEach(ready::add);
    while (!ready.isEmpty()) {
      String n = ready.poll();
      order.add(n);
      for (String d : downstream.get(n)) {
        if (remaining.merge(d, -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    return order;
  }
}
