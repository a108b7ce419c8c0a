package io.alphaflow.core.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private static RetryPolicy policy(Backoff backoff, boolean jitter) {
    return new RetryPolicy(
        10,
        backoff,
        Duration.ofSeconds(1),
        Duration.ofSeconds(60),
        2,
        jitter,
        List.of(),
        true,
        true);
  }

  @Test
  void defaultsFollowSeed004() {
    RetryPolicy d = RetryPolicy.ofDefaults();
    assertThat(d.maxAttempts()).isEqualTo(4);
    assertThat(d.baseDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(d.maxDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.factor()).isEqualTo(2.0);
  }

  @Test
  void exponentialDelaysDoubleUpToTheCap() {
    RetryPolicy p = policy(Backoff.EXPONENTIAL, false);
    assertThat(List.of(2, 3, 4, 5, 8, 9).stream().map(a -> p.delayBefore(a, () -> 0).toSeconds()))
        .containsExactly(1L, 2L, 4L, 8L, 60L, 60L);
  }

  @Test
  void linearAndFixedDelays() {
    assertThat(policy(Backoff.LINEAR, false).delayBefore(4, () -> 0))
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(policy(Backoff.FIXED, false).delayBefore(7, () -> 0))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void jitterStaysInTheUpperHalf() {
    RetryPolicy p = policy(Backoff.EXPONENTIAL, true);
    assertThat(p.delayBefore(3, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.delayBefore(3, () -> 0.999999)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void retriesStopAtMaxAttemptsAndForNonRetryableFailures() {
    RetryPolicy p =
        new RetryPolicy(
            3, Backoff.FIXED, Duration.ZERO, Duration.ZERO, 1, false, List.of(), true, true);
    assertThat(p.retries(Failure.error("x", false), 2)).isTrue();
    assertThat(p.retries(Failure.error("x", false), 3)).isFalse();
    assertThat(p.retries(Failure.error("x", true), 1)).isFalse();
  }

  @Test
  void exitCodeListAndTimeoutSwitchDecideWhichFailuresRetry() {
    RetryPolicy p =
        new RetryPolicy(
            5, Backoff.FIXED, Duration.ZERO, Duration.ZERO, 1, false, List.of(75), false, true);
    assertThat(p.retries(Failure.exitCode(75, "tempfail"), 1)).isTrue();
    assertThat(p.retries(Failure.exitCode(2, "usage"), 1)).isFalse();
    assertThat(p.retries(Failure.timeout("slow"), 1)).isFalse();
    assertThat(p.retries(Failure.interrupted("died"), 1)).isTrue();
  }
}
