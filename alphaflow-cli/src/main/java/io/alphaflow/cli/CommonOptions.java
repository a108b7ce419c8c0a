package io.alphaflow.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF
  }

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description = "State directory (store, logs, outputs). Default: ${DEFAULT-VALUE}.",
      defaultValue = DEFAULT_HOME)
  Path home;

  static final String DEFAULT_HOME = ".alphaflow";

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description =
          "TRACE, DEBUG, INFO, WARN or ERROR (also LOG_LEVEL). Console shows WARN by default.")
  String logLevel;

  @Option(
      names = "--settings",
      paramLabel = "FILE",
      description = "Settings file. Default: alphaflow.yaml in the working directory, if present.")
  Path config;

  /**
   * What a command this one suggests (approve, resume, logs) needs to reach the same state
   * directory: nothing for the default, else {@code --home DIR}, quoted for a shell when it must
   * be.
   */
  String homeFlag() {
    if (home.normalize().equals(Path.of(DEFAULT_HOME))) {
      return "";
    }
    String dir = home.toString();
    return " --home "
        + (dir.matches("[A-Za-z0-9_./:@%+=,-]+") ? dir : "'" + dir.replace("'", "'\\''") + "'");
  }
}
