package io.alphaflow.core.store;

import java.time.Instant;
import java.util.Objects;

/** Somebody asked for a run to stop: why, and when. */
public record CancelRequest(String reason, Instant at) {
  public CancelRequest {
    Objects.requireNonNull(at, "at");
    reason = reason == null || reason.isBlank() ? "cancelled" : reason;
  }
}
