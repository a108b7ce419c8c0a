package io.alphaflow.core.run;

/** The states of a whole run. */
public enum RunState {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean isTerminal() {
    return this != RUNNING;
  }
}
