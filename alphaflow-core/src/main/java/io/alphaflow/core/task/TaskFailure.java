package io.alphaflow.core.task;

import io.alphaflow.core.AlphaflowException;
import io.alphaflow.core.retry.Failure;
import io.alphaflow.core.retry.FailureKind;

/**
 * Thrown by task code to fail an attempt with a kind and a retry verdict, as data rather than as an
 * exception class per case.
 */
public final class TaskFailure extends AlphaflowException {
  private final transient Failure failure;

  private TaskFailure(Failure failure, Throwable cause) {
    super(failure.message(), cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }

  /** A process ended with a non-zero exit code; retried per the task's retry_on_exit_codes. */
  public static TaskFailure exitCode(int code, String message) {
    return new TaskFailure(Failure.exitCode(code, message), null);
  }

  /** An error a retry may fix (a flaky vendor, a lock). */
  public static TaskFailure retryable(String message) {
    return new TaskFailure(Failure.error(message, false), null);
  }

  public static TaskFailure retryable(String message, Throwable cause) {
    return new TaskFailure(Failure.error(message, false), cause);
  }

  /** An error no retry can fix (bad input, missing file): the task fails at once. */
  public static TaskFailure nonRetryable(String message) {
    return new TaskFailure(Failure.error(message, true), null);
  }

  public static TaskFailure nonRetryable(String message, Throwable cause) {
    return new TaskFailure(Failure.error(message, true), cause);
  }

  public boolean isTimeout() {
    return failure.kind() == FailureKind.TIMEOUT;
  }
}
