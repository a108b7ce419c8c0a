package io.alphaflow.core.flow;

import io.alphaflow.core.retry.Backoff;
import io.alphaflow.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.List;

/**
 * Retry settings as written at one level (task, flow defaults, alphaflow.yaml, environment); a null
 * field means "not set here", so levels can be layered with {@link #over(RetrySpec)}.
 */
public record RetrySpec(
    Integer maxAttempts,
    Backoff backoff,
    Duration baseDelay,
    Duration maxDelay,
    Double factor,
    Boolean jitter,
    List<Integer> retryOnExitCodes,
    Boolean retryOnTimeout,
    Boolean retryOnError) {

  public static final RetrySpec EMPTY =
      new RetrySpec(null, null, null, null, null, null, null, null, null);

  public RetrySpec {
    retryOnExitCodes = retryOnExitCodes == null ? null : List.copyOf(retryOnExitCodes);
  }

  /** This level's values where set, {@code lower}'s elsewhere. */
  public RetrySpec over(RetrySpec lower) {
    return new RetrySpec(
        maxAttempts != null ? maxAttempts : lower.maxAttempts,
        backoff != null ? backoff : lower.backoff,
        baseDelay != null ? baseDelay : lower.baseDelay,
        maxDelay != null ? maxDelay : lower.maxDelay,
        factor != null ? factor : lower.factor,
        jitter != null ? jitter : lower.jitter,
        retryOnExitCodes != null ? retryOnExitCodes : lower.retryOnExitCodes,
        retryOnTimeout != null ? retryOnTimeout : lower.retryOnTimeout,
        retryOnError != null ? retryOnError : lower.retryOnError);
  }

  /** The policy these settings give, with seed 004's defaults for whatever no level set. */
  public RetryPolicy toPolicy() {
    RetryPolicy d = RetryPolicy.ofDefaults();
    return new RetryPolicy(
        maxAttempts != null ? maxAttempts : d.maxAttempts(),
        backoff != null ? backoff : d.backoff(),
        baseDelay != null ? baseDelay : d.baseDelay(),
        maxDelay != null ? maxDelay : d.maxDelay(),
        factor != null ? factor : d.factor(),
        jitter != null ? jitter : d.jitter(),
        retryOnExitCodes != null ? retryOnExitCodes : d.retryOnExitCodes(),
        retryOnTimeout != null ? retryOnTimeout : d.retryOnTimeout(),
        retryOnError != null ? retryOnError : d.retryOnError());
  }
}
