package io.alphaflow.cli;

import picocli.CommandLine.Option;

/** Who moves a model alias, why, and which alias: shared by {@code models promote} and rollback. */
final class AliasMoveOptions {
  @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who moves it.")
  String by;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why.")
  String comment;

  @Option(
      names = "--alias",
      defaultValue = "champion",
      paramLabel = "ALIAS",
      description = "champion (default) or challenger.")
  String alias;
}
