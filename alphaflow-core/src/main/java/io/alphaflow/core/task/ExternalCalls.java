package io.alphaflow.core.task;

import java.util.concurrent.Callable;

/**
 * Calls to an external resource (a data vendor, a broker's API) through a circuit breaker named
 * after it and shared by every task the engine runs, with retries inside the call. After {@code
 * failure_threshold} failures in a row the breaker opens and calls fail at once, without touching
 * the resource, until {@code recovery_timeout} has passed; then one trial call decides (HALF_OPEN).
 * Configure per resource under the flow's {@code resources:}. State changes are engine events.
 */
public interface ExternalCalls {
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /**
   * Runs {@code work} against {@code resource}; an open breaker fails the call with a retryable
   * {@link TaskFailure} naming the resource and when it may be tried again.
   */
  <T> T call(String resource, Callable<T> work) throws Exception;

  State state(String resource);
}
