package io.alphaflow.core;

/** The user gave us something we cannot use; the message says what and how to fix it. */
public class InvalidInputException extends AlphaflowException {
  public InvalidInputException(String message) {
    super(message);
  }

  public static InvalidInputException badParam(String name, String value, String why) {
    return new InvalidInputException("param '" + name + "' = '" + value + "': " + why);
  }
}
