package io.alphaflow.core.flow;

/** Which ready task runs first when slots are scarce; declaration order is most urgent first. */
public enum Priority {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW
}
