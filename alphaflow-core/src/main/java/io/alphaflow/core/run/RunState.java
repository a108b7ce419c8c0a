package io.alphaflow.core.run;

/** The states of a whole run. */
public enum RunState {
  RUNNING,
  /**
   * Parked: nothing can run until somebody approves or rejects a task waiting for approval. No
   * process holds it; {@code approve}, {@code reject} or {@code resume} continue it.
   */
  WAITING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this != RUNNING && this != WAITING;
  }
}
