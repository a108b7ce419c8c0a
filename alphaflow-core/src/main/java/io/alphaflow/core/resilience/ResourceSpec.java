package io.alphaflow.core.resilience;

import java.time.Duration;

/** How calls to one external resource are guarded: breaker threshold and timeout, retries. */
public record ResourceSpec(
    int failureThreshold, Duration recoveryTimeout, int maxAttempts, Duration retryDelay) {

  public ResourceSpec {
    if (failureThreshold < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "failure_threshold and max_attempts must be at least 1, were "
              + failureThreshold
              + " and "
              + maxAttempts);
    }
  }

  /** Seed 000's decorator: 5 failures open the breaker for 60 s; 3 attempts 1 s apart. */
  public static ResourceSpec ofDefaults() {
    return new ResourceSpec(5, Duration.ofSeconds(60), 3, Duration.ofSeconds(1));
  }
}
