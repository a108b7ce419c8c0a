package io.alphaflow.core.task.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellTaskTest {

  @Test
  void theLoggedCommandGivesAShellTheSameArguments() throws Exception {
    List<String> command =
        List.of(
            "sh",
            "-c",
            "test -f go || (echo 'no go file' >&2; exit 3)",
            "",
            "a b",
            "$HOME",
            "it's",
            "--out=data/x.parquet");

    String line = ShellTask.quoted(command);

    assertThat(line).startsWith("sh -c 'test -f go").endsWith(" --out=data/x.parquet");
    assertThat(argumentsAShellSees(line)).isEqualTo(command);
  }

  /** The words {@code sh} splits {@code line} into, each printed on its own line. */
  private static List<String> argumentsAShellSees(String line)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("sh", "-c", "for a in " + line + "; do printf '%s\\n' \"$a\"; done")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    return new ArrayList<>(out.lines().toList());
  }
}
