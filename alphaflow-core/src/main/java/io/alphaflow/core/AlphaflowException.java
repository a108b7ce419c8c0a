package io.alphaflow.core;

/**
 * The root of every error alphaflow raises on purpose. Each subclass stands for one decision the
 * caller makes: {@link InvalidInputException} means the user must fix what they gave us (exit 2,
 * HTTP 400), {@link NotFoundException} that a named thing does not exist (404), {@link
 * ConflictException} that the thing exists but is in a state that forbids the request (409).
 * Messages say what happened, to what, and what to do.
 */
public class AlphaflowException extends RuntimeException {
  public AlphaflowException(String message) {
    super(message);
  }

  public AlphaflowException(String message, Throwable cause) {
    super(message, cause);
  }
}
