package io.alphaflow.cli;

import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Prints one line per task end while a run goes, and a start line for each task still running
 * {@link #STARTED_AFTER} after it started, so a long run shows what it is waiting on. A task that
 * ends sooner (a cached result found, a quick step) gets its end line alone: a cached task's line
 * used to follow a "started" line for work it never did. The event log keeps every start.
 */
final class ProgressPrinter implements EventListener, AutoCloseable {
  /** How long a task runs before its start line is printed. */
  static final Duration STARTED_AFTER = Duration.ofMillis(500);

  private final PrintWriter out;
  private final int total;
  private final Duration startedAfter;
  private final ScheduledExecutorService clock;
  private final Map<String, Starting> starting = new HashMap<>();
  private int done;

  /** {@code alreadyDone}: tasks that succeeded before (a resumed run) and will not run again. */
  ProgressPrinter(PrintWriter out, int total, int alreadyDone) {
    this(out, total, alreadyDone, STARTED_AFTER);
  }

  ProgressPrinter(PrintWriter out, int total, int alreadyDone, Duration startedAfter) {
    this.out = out;
    this.total = total;
    this.done = alreadyDone;
    this.startedAfter = startedAfter;
    this.clock =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "alphaflow-progress");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public synchronized void onEvent(Event e) {
    if (e.type() == io.alphaflow.core.event.EventType.TASK_STARTED) {
      String line = "  > " + e.taskId() + " started (" + e.message() + ")";
      starting.put(
          e.taskId(),
          new Starting(
              e.attempt(),
              clock.schedule(
                  () -> startedLine(e.taskId(), e.attempt(), line),
                  startedAfter.toNanos(),
                  TimeUnit.NANOSECONDS)));
      return;
    }
    if (e.taskId() != null) {
      Starting pending = starting.remove(e.taskId());
      if (pending != null) {
        pending.line().cancel(false);
      }
    }
    String line =
        switch (e.type()) {
          case WORKFLOW_STARTED, WORKFLOW_RESUMED -> "run " + e.runId() + ": " + e.message();
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
          case TASK_STARTED, WORKFLOW_COMPLETED, WORKFLOW_FAILED, TASK_QUEUED, SYSTEM_ALERT -> null;
        };
    if (line != null) {
      print(line);
    }
  }

  /**
   * The start line of an attempt still running when its time came: not of one that ended meanwhile,
   * its line cancelled while this waited to print it.
   */
  private synchronized void startedLine(String taskId, int attempt, String line) {
    Starting pending = starting.get(taskId);
    if (pending != null && pending.attempt() == attempt) {
      starting.remove(taskId);
      print(line);
    }
  }

  /** A start line waiting to be printed, of a task's attempt. */
  private record Starting(int attempt, ScheduledFuture<?> line) {}

  private void print(String line) {
    out.println(line);
    out.flush();
  }

  private String counted(String what, Event e) {
    done++;
    return "  [" + done + "/" + total + "] " + e.taskId() + " " + what + ": " + e.message();
  }

  /** Stops the clock: start lines not printed by now are dropped, the run having ended. */
  @Override
  public void close() {
    clock.shutdownNow();
  }
}
