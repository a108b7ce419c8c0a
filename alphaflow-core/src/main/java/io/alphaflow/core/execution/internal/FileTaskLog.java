package io.alphaflow.core.execution.internal;

import io.alphaflow.core.task.TaskLog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;

/** A task attempt's log file; created on the first line, so silent tasks cost no file. */
final class FileTaskLog implements TaskLog {
  private final Path file;
  private final InstantSource clock;

  FileTaskLog(Path file, InstantSource clock) {
    this.file = file;
    this.clock = clock;
  }

  @Override
  public void info(String message) {
    write("INFO ", message);
  }

  @Override
  public void warn(String message) {
    write("WARN ", message);
  }

  @Override
  public void error(String message, Throwable cause) {
    StringBuilder sb = new StringBuilder(message);
    if (cause != null) {
      StringWriter trace = new StringWriter();
      cause.printStackTrace(new PrintWriter(trace));
      sb.append('\n').append(trace.toString().stripTrailing());
    }
    write("ERROR", sb.toString());
  }

  @Override
  public Path file() {
    return file;
  }

  private synchronized void write(String level, String message) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(
          file,
          clock.instant() + " " + level + " " + message + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write task log " + file, e);
    }
  }
}
