package io.alphaflow.core.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * When and how often a failed task is tried again. Immutable; {@link #ofDefaults()} follows seed
 * 004: 3 retries (4 attempts), exponential backoff from 1 s by a factor of 2, capped at 60 s.
 */
public record RetryPolicy(
    int maxAttempts,
    Backoff backoff,
    Duration baseDelay,
    Duration maxDelay,
    double factor,
    boolean jitter,
    List<Integer> retryOnExitCodes,
    boolean retryOnTimeout,
    boolean retryOnError) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max_attempts must be at least 1, was " + maxAttempts);
    }
    Objects.requireNonNull(backoff, "backoff");
    if (baseDelay.isNegative() || maxDelay.isNegative()) {
      throw new IllegalArgumentException("retry delays must not be negative");
    }
    if (factor < 1) {
      throw new IllegalArgumentException("backoff factor must be at least 1, was " + factor);
    }
    retryOnExitCodes = List.copyOf(retryOnExitCodes);
  }

  public static RetryPolicy ofDefaults() {
    return new RetryPolicy(
        4,
        Backoff.EXPONENTIAL,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        2.0,
        true,
        List.of(),
        true,
        true);
  }

  public static RetryPolicy noRetries() {
    return new RetryPolicy(
        1, Backoff.FIXED, Duration.ZERO, Duration.ZERO, 1, false, List.of(), false, false);
  }

  /** Whether a task that failed with {@code failure} on attempt {@code attempt} runs again. */
  public boolean retries(Failure failure, int attempt) {
    if (attempt >= maxAttempts || failure.nonRetryable()) {
      return false;
    }
    return switch (failure.kind()) {
      case EXIT_CODE -> retryOnExitCodes.isEmpty() || retryOnExitCodes.contains(failure.exitCode());
      case TIMEOUT -> retryOnTimeout;
      case ERROR -> retryOnError;
      case INTERRUPTED -> true;
    };
  }

  /**
   * The wait before attempt {@code nextAttempt} (2 for the first retry). With jitter, a random
   * point in the upper half of the delay, so retries of many tasks do not land together.
   */
  public Duration delayBefore(int nextAttempt, DoubleSupplier random) {
    if (nextAttempt < 2) {
      throw new IllegalArgumentException("the first retry is attempt 2, asked for " + nextAttempt);
    }
    int retry = nextAttempt - 1;
    double baseMillis = baseDelay.toMillis();
    double millis =
        switch (backoff) {
          case EXPONENTIAL -> baseMillis * Math.pow(factor, retry - 1);
          case LINEAR -> baseMillis * retry;
          case FIXED -> baseMillis;
        };
    millis = Math.min(millis, maxDelay.toMillis());
    if (jitter) {
      millis = millis / 2 + random.getAsDouble() * millis / 2;
    }
    return Duration.ofMillis(Math.round(millis));
  }
}
