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
      defaultValue = ".alphaflow")
  Path home;

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
}
