package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
  private final StringWriter text = new StringWriter();

  private ProgressPrinter printer(Duration startedAfter) {
    return new ProgressPrinter(new PrintWriter(text), 2, 0, startedAfter);
  }

  private static Event event(EventType type, String task, int attempt, String message) {
    return new Event("r1", type, task, attempt, Instant.now(), message);
  }

  @Test
  void aTaskThatEndsBeforeItsStartLineIsDueGetsItsEndLineAlone() {
    try (ProgressPrinter p = printer(Duration.ofHours(1))) {
      p.onEvent(event(EventType.TASK_STARTED, "ingest", 1, "attempt 1 of 2"));
      p.onEvent(event(EventType.TASK_CACHED, "ingest", 1, "reused the result of run r0"));
    }

    assertThat(text.toString())
        .isEqualTo("  [1/2] ingest cached: reused the result of run r0" + System.lineSeparator());
  }

  @Test
  void aTaskStillRunningGetsItsStartLineThenItsEndLine() throws Exception {
    try (ProgressPrinter p = printer(Duration.ZERO)) {
      p.onEvent(event(EventType.TASK_STARTED, "train", 1, "attempt 1 of 2"));
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!text.toString().contains("started") && System.nanoTime() < until) {
        Thread.sleep(5);
      }
      p.onEvent(event(EventType.TASK_COMPLETED, "train", 1, "succeeded in 2.1s"));
    }

    assertThat(text.toString().lines())
        .containsExactly(
            "  > train started (attempt 1 of 2)", "  [1/2] train ok: succeeded in 2.1s");
  }

  @Test
  void aRetriedAttemptsStartLineIsNotPrintedForTheNextAttempt() {
    try (ProgressPrinter p = printer(Duration.ofHours(1))) {
      p.onEvent(event(EventType.TASK_STARTED, "fetch", 1, "attempt 1 of 3"));
      p.onEvent(event(EventType.TASK_RETRYING, "fetch", 1, "retrying in 2s: timeout"));
      p.onEvent(event(EventType.TASK_STARTED, "fetch", 2, "attempt 2 of 3"));
      p.onEvent(event(EventType.TASK_FAILED, "fetch", 2, "timeout"));
      p.onEvent(event(EventType.TASK_STARTED, "score", 1, "attempt 1 of 1"));
    } // closed with score still running: the run ended, its start line is dropped

    assertThat(text.toString().lines())
        .containsExactly("  ~ fetch retrying in 2s: timeout", "  [1/2] fetch FAILED: timeout");
  }
}
