package io.alphaflow.core.retry;

/** Why an attempt failed, as far as the retry policy cares. */
public enum FailureKind {
  /** A process ended with a non-zero exit code. */
  EXIT_CODE,
  /** The attempt ran past its timeout and was stopped. */
  TIMEOUT,
  /** Task code threw, or reported a failure. */
  ERROR,
  /** The process running the attempt died (crash, kill -9); found on resume. */
  INTERRUPTED
}
