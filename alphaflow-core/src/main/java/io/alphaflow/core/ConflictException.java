package io.alphaflow.core;

/** The named thing exists, but its state forbids what was asked (e.g. resuming a live run). */
public class ConflictException extends AlphaflowException {
  public ConflictException(String message) {
    super(message);
  }
}
