package io.alphaflow.core.task;

import java.nio.file.Path;

/** The log of one task attempt, a plain text file under the run's log directory. */
public interface TaskLog {
  void info(String message);

  void warn(String message);

  void error(String message, Throwable cause);

  /** The file; it exists once something was written. */
  Path file();
}
