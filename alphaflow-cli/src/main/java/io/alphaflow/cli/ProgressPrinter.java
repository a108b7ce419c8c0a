package io.alphaflow.cli;

import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventListener;
import java.io.PrintWriter;

/** Prints one line per task start and end while a run goes, so a long run shows progress. */
final class ProgressPrinter implements EventListener {
  private final PrintWriter out;
  private final int total;
  private int done;

  /** {@code alreadyDone}: tasks that succeeded before (a resumed run) and will not run again. */
  ProgressPrinter(PrintWriter out, int total, int alreadyDone) {
    this.out = out;
    this.total = total;
    this.done = alreadyDone;
  }

  @Override
  public void onEvent(Event e) {
    String line =
        switch (e.type()) {
          case WORKFLOW_STARTED, WORKFLOW_RESUMED -> "run " + e.runId() + ": " + e.message();
          case TASK_STARTED -> "  > " + e.taskId() + " started (" + e.message() + ")";
          case TASK_COMPLETED -> counted("ok", e);
          case TASK_CACHED -> counted("cached", e);
          case TASK_FAILED, TASK_TIMED_OUT -> counted("FAILED", e);
          case TASK_UPSTREAM_FAILED, TASK_SKIPPED, TASK_CANCELLED ->
              counted(e.type().name().substring(5), e);
          case TASK_RETRYING -> "  ~ " + e.taskId() + " " + e.message();
          case STAGE_STARTED, STAGE_COMPLETED -> "  # " + e.message();
          case SYSTEM_BREAKER_CHANGED -> "  ! " + e.message();
          case WORKFLOW_CANCELLED, WORKFLOW_WAITING -> "run " + e.runId() + ": " + e.message();
          case TASK_AWAITING_APPROVAL -> "  ? " + e.taskId() + " " + e.message();
          case TASK_APPROVED -> "  + " + e.taskId() + " " + e.message();
          case TASK_REJECTED -> "  - " + e.taskId() + " " + e.message();
          case WORKFLOW_COMPLETED, WORKFLOW_FAILED, TASK_QUEUED, SYSTEM_ALERT -> null;
        };
    if (line != null) {
      out.println(line);
      out.flush();
    }
  }

  private String counted(String what, Event e) {
    done++;
    return "  [" + done + "/" + total + "] " + e.taskId() + " " + what + ": " + e.message();
  }
}
