package io.alphaflow.core.resilience;

import io.alphaflow.core.task.ExternalCalls;
import io.alphaflow.core.task.TaskFailure;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The engine's named circuit breakers and retries (Resilience4j), one per external resource, shared
 * by all runs. The first flow that names a resource sets its config; unnamed ones get {@link
 * ResourceSpec#ofDefaults()}.
 */
public final class Breakers {
  private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
  private final Map<String, Retry> retries = new ConcurrentHashMap<>();

  /** Breakers without metrics. */
  public Breakers() {}

  /**
   * Breakers whose state, calls and failure rates are published to {@code meters}
   * (resilience4j.circuitbreaker.* with a {@code name} tag per resource).
   */
  public Breakers(MeterRegistry meters) {
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
  }

  /**
   * Calls for one attempt: {@code changed} hears (resource, "FROM -> TO") when a call moves a
   * breaker, so the engine can record it as an event of that run and task.
   */
  public ExternalCalls forAttempt(
      Map<String, ResourceSpec> specs, BiConsumer<String, String> changed) {
    return new ExternalCalls() {
      @Override
      public <T> T call(String resource, Callable<T> work) throws Exception {
        CircuitBreaker breaker = breaker(resource, specs);
        Retry retry = retries.computeIfAbsent(resource, r -> retry(r, spec(r, specs)));
        CircuitBreaker.State before = breaker.getState();
        try {
          return Retry.decorateCallable(retry, CircuitBreaker.decorateCallable(breaker, work))
              .call();
        } catch (CallNotPermittedException e) {
          throw TaskFailure.retryable(
              "circuit '"
                  + resource
                  + "' is open after "
                  + spec(resource, specs).failureThreshold()
                  + " failures in a row; it lets a trial call through "
                  + spec(resource, specs).recoveryTimeout().toMillis()
                  + " ms after opening");
        } finally {
          CircuitBreaker.State after = breaker.getState();
          if (after != before) {
            changed.accept(resource, before + " -> " + after);
          }
        }
      }

      @Override
      public State state(String resource) {
        return switch (breaker(resource, specs).getState()) {
          case OPEN, FORCED_OPEN -> State.OPEN;
          case HALF_OPEN -> State.HALF_OPEN;
          case CLOSED, DISABLED, METRICS_ONLY -> State.CLOSED;
        };
      }
    };
  }

  private CircuitBreaker breaker(String resource, Map<String, ResourceSpec> specs) {
    ResourceSpec s = spec(resource, specs);
    return registry.circuitBreaker(
        resource,
        () ->
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(s.failureThreshold())
                .minimumNumberOfCalls(s.failureThreshold())
                .failureRateThreshold(100)
                .waitDurationInOpenState(s.recoveryTimeout())
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
  }

  private static Retry retry(String resource, ResourceSpec s) {
    return Retry.of(
        resource,
        RetryConfig.custom()
            .maxAttempts(s.maxAttempts())
            .waitDuration(s.retryDelay())
            .ignoreExceptions(CallNotPermittedException.class)
            .build());
  }

  private static ResourceSpec spec(String resource, Map<String, ResourceSpec> specs) {
    return specs.getOrDefault(resource, ResourceSpec.ofDefaults());
  }
}
