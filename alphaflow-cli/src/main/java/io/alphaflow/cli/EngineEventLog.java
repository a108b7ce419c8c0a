package io.alphaflow.cli;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes every engine event as one JSON line to {@code logs/<run>/events.jsonl} (logback sifts by
 * the run id in the MDC; see logback.xml).
 */
final class EngineEventLog implements EventListener {
  private static final Logger EVENTS = LoggerFactory.getLogger("alphaflow.events");

  @Override
  public void onEvent(Event e) {
    try (MDC.MDCCloseable ignored = MDC.putCloseable("run_id", e.runId())) {
      EVENTS.info(
          "{} {} {} {} {}",
          kv("event", e.type().name().toLowerCase(java.util.Locale.ROOT)),
          kv("category", e.type().category()),
          kv("task_id", e.taskId()),
          kv("attempt", e.attempt()),
          kv("detail", e.message()));
    }
  }
}
