package io.alphaflow.core.approval;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** One decision on a task waiting in AWAITING_APPROVAL: who, when, why. The first one stands. */
public record Approval(
    String runId, String taskId, Decision decision, String by, String comment, Instant at) {
  public Approval {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(at, "at");
    if (by == null || by.isBlank()) {
      throw new IllegalArgumentException("an approval needs a name in 'by', was '" + by + "'");
    }
  }

  /**
   * One line for status and events: "approved by alice at 2026-03-02T14:05:09Z: metrics ok" (the
   * time to the second; the record keeps it whole).
   */
  public String describe() {
    return decision.name().toLowerCase(java.util.Locale.ROOT)
        + " by "
        + by
        + " at "
        + at.truncatedTo(ChronoUnit.SECONDS)
        + (comment == null || comment.isBlank() ? "" : ": " + comment);
  }
}
