package io.alphaflow.core.retry;

import java.util.Objects;

/**
 * A failed attempt as data: what kind, the message a user reads, the exit code if a process ended,
 * and whether the task said retrying cannot help.
 */
public record Failure(FailureKind kind, String message, Integer exitCode, boolean nonRetryable) {
  public Failure {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  public static Failure exitCode(int code, String message) {
    return new Failure(FailureKind.EXIT_CODE, message, code, false);
  }

  public static Failure timeout(String message) {
    return new Failure(FailureKind.TIMEOUT, message, null, false);
  }

  public static Failure error(String message, boolean nonRetryable) {
    return new Failure(FailureKind.ERROR, message, null, nonRetryable);
  }

  public static Failure interrupted(String message) {
    return new Failure(FailureKind.INTERRUPTED, message, null, false);
  }
}
