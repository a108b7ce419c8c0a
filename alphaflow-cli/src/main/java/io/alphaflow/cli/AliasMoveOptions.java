package io.alphaflow.cli;

import io.alphaflow.core.model.AliasMove;
import io.alphaflow.core.model.ModelVersion;
import java.io.PrintWriter;
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

  /** Prints "ALIAS of 'NAME' VERB VERSION (was PREVIOUS), by WHO" for a move just made. */
  void report(PrintWriter out, String name, String verb, AliasMove m) {
    out.println(
        alias
            + " of '"
            + name
            + "' "
            + verb
            + " "
            + ModelVersion.shortOf(m.version())
            + (m.previous() == null ? "" : " (was " + ModelVersion.shortOf(m.previous()) + ")")
            + ", by "
            + by);
  }
}
