package io.alphaflow.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a run, a stage or a task. {@code taskId} names the task or stage (null
 * for workflow events); {@code attempt} is 0 where it does not apply.
 */
public record Event(
    String runId, EventType type, String taskId, int attempt, Instant at, String message) {
  public Event {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    message = message == null ? "" : message;
  }
}
