package io.alphaflow.core;

/** A run, task or file the user named does not exist. */
public class NotFoundException extends AlphaflowException {
  public NotFoundException(String message) {
    super(message);
  }

  public static NotFoundException run(String runId) {
    return new NotFoundException(
        "no run '" + runId + "' in this store: 'alphaflow runs' lists the recent ones");
  }

  public static NotFoundException task(String runId, String taskId) {
    return new NotFoundException(
        "run '"
            + runId
            + "' has no task '"
            + taskId
            + "': 'alphaflow status "
            + runId
            + "' lists its tasks");
  }
}
