package io.alphaflow.cli;

import static net.logstash.logback.argument.StructuredArguments.kv;

import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventListener;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes every engine event as one JSON line to {@code logs/<run>/events.jsonl}: logback's sifting
 * appender picks the file from the MDC (see logback.xml).
 */
final class EngineEventLog implements EventListener {
  private static final Logger EVENTS = LoggerFactory.getLogger("alphaflow.events");
  private final Path logs;

  EngineEventLog(Path home) {
    this.logs = home.resolve("logs");
  }

  @Override
  public void onEvent(Event e) {
    String file = logs.resolve(e.runId()).resolve("events.jsonl").toString();
    MDC.put("run_id", e.runId());
    MDC.put("events_file", file);
    try {
      EVENTS.info(
          "{} {} {} {} {} {}",
          kv("event", e.type().name().toLowerCase(java.util.Locale.ROOT)),
          kv("category", e.type().category()),
          kv("task_id", e.taskId()),
          kv("attempt", e.attempt()),
          kv("detail", e.message()),
          kv("at", e.at().toString()));
    } finally {
      MDC.remove("run_id");
      MDC.remove("events_file");
    }
  }
}
