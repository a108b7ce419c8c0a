package io.alphaflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process against one state directory and keeps what it printed. */
final class Cli {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path home;

  record Result(int exitCode, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("stdout is not JSON:\n" + out + "\nstderr:\n" + err, e);
      }
    }
  }

  Cli(Path home) {
    this.home = home;
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--home", home.toString()));
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** A path under the repository root (tests run in the module directory). */
  static Path repo(String relative) {
    return Path.of("..").resolve(relative).normalize();
  }
}
