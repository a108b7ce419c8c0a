package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Main#main} in a JVM of its own, as {@code bin/alphaflow} starts it: the other tests call
 * {@link Main#run}, which skips what {@code main} does before it (and {@code main} exits the JVM).
 */
class MainProcessIT {
  @TempDir Path dir;

  record Result(int exit, String output) {}

  private Result alphaflow(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(Path.of("target/alphaflow-cli.jar").toAbsolutePath().toString());
    command.addAll(List.of(args));
    Path log = dir.resolve("out.log");
    Process child =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("alphaflow exits").isTrue();
    return new Result(child.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  @Test
  void versionAndHelpNameNoSubcommandAndExitZero() throws Exception {
    Result version = alphaflow("--version");
    assertThat(version.output()).doesNotContain("Exception").contains("alphaflow 0.1.0");
    assertThat(version.exit()).isZero();

    Result help = alphaflow("--help");
    assertThat(help.output()).doesNotContain("Exception").contains("run", "status", "demo");
    assertThat(help.exit()).isZero();

    Result none = alphaflow();
    assertThat(none.output()).doesNotContain("Exception");
  }

  @Test
  void aMistypedCommandSaysSoWithoutAStackTrace() throws Exception {
    Result typo = alphaflow("statsu");
    assertThat(typo.output()).doesNotContain("Exception").contains("statsu");
    assertThat(typo.exit()).isEqualTo(2);
  }

  @Test
  void aCommandThatLoadsAFlowValidatesOne() throws Exception {
    Path flow = dir.resolve("flow.yaml");
    Files.writeString(
        flow, "name: one\ntasks:\n  - id: a\n    type: shell\n    config: {command: [\"true\"]}\n");
    Result ok = alphaflow("validate", flow.toString());
    assertThat(ok.output()).doesNotContain("Exception");
    assertThat(ok.exit()).isZero();

    Files.writeString(flow, "name: one\ntasks:\n  - id: a\n    type: nope\n");
    Result bad = alphaflow("validate", flow.toString());
    assertThat(bad.output()).doesNotContain("Exception").contains("nope");
    assertThat(bad.exit()).isNotZero();
  }
}
