package io.alphaflow.cli;

/** The process exit codes scripts rely on. */
public enum ExitCode {
  OK(0),
  RUN_FAILED(1),
  INVALID_INPUT(2),
  INTERNAL_ERROR(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }
}
