package io.alphaflow.core.flow;

import java.time.LocalTime;
import java.util.List;
import java.util.Objects;

/** A named group of tasks (seed 004's pre-market, market open, ...), with an optional window. */
public record StageSpec(
    String id,
    String description,
    List<String> taskIds,
    LocalTime windowStart,
    LocalTime windowEnd) {
  public StageSpec {
    Objects.requireNonNull(id, "id");
    taskIds = List.copyOf(taskIds);
  }
}
