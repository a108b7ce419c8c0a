package io.alphaflow.core.flow;

/**
 * One thing wrong with a flow file, where it is (1-based line and column; 0 when unknown), and a
 * hint that says what to do.
 */
public record FlowProblem(String file, int line, int column, String message, String hint) {
  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line + ":" + column : file;
    return where + ": " + message + (hint == null || hint.isEmpty() ? "" : "\n    hint: " + hint);
  }
}
