package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Main#main} in a JVM of its own, as {@code bin/alphaflow} starts it: the other tests call
 * {@link Main#run}, which skips what {@code main} does before it (and {@code main} exits the JVM).
 */
class MainProcessIT {
  @TempDir Path dir;

  record Result(int exit, String output) {}

  /** The CLI's {@code args}, after JVM options (those starting with {@code -X}) if any. */
  private Result alphaflow(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    List<String> rest = new ArrayList<>(List.of(args));
    while (!rest.isEmpty() && rest.getFirst().startsWith("-X")) {
      command.add(rest.removeFirst());
    }
    command.add("-jar");
    command.add(Path.of("target/alphaflow-cli.jar").toAbsolutePath().toString());
    command.addAll(rest);
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

  /**
   * The build rewrites picocli's Java 5 classes as Java 8 ones on JDK 24+ (build/RetargetJar.java),
   * so the start-up cache can hold them. Each class must still verify: a class loader of its own
   * loads and initializes every one, and the CLI answers --help with every class verified.
   */
  @Test
  void picocliIsJava8BytecodeThatVerifies() throws Exception {
    Assumptions.assumeTrue(
        Runtime.version().feature() >= 24, "picocli is rewritten only on JDK 24 and newer");
    Path jar;
    try (var found = Files.list(Path.of("target/lib"))) {
      jar =
          found
              .filter(p -> p.getFileName().toString().matches("picocli-[0-9.]+\\.jar"))
              .findFirst()
              .orElseThrow();
    }
    List<String> classes = new ArrayList<>();
    try (ZipFile zip = new ZipFile(jar.toFile());
        URLClassLoader loader =
            new URLClassLoader(
                new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        String name = e.getName();
        if (!name.endsWith(".class") || name.endsWith("module-info.class")) {
          continue;
        }
        byte[] bytes;
        try (var in = zip.getInputStream(e)) {
          bytes = in.readAllBytes();
        }
        int major = ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
        assertThat(major).as(name + "'s class file version").isGreaterThanOrEqualTo(52);
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        Class.forName(className, true, loader); // links it: the verifier checks its stack maps
        classes.add(className);
      }
    }
    assertThat(classes).hasSizeGreaterThan(100).contains("picocli.CommandLine");

    Result help = alphaflow("-Xverify:all", "run", "--help");
    assertThat(help.output()).doesNotContain("Error", "Exception").contains("--param");
    assertThat(help.exit()).isZero();
  }

  @Test
  void aMistypedCommandSaysSoWithoutAStackTrace() throws Exception {
    Result typo = alphaflow("statsu");
    assertThat(typo.output()).doesNotContain("Exception").contains("statsu");
    assertThat(typo.exit()).isEqualTo(2);
  }

  /**
   * A command that loads a flow sets its schema checker up on a second thread, which logs while
   * logback starts: started on both threads at once, SLF4J printed a warning about replayed calls.
   * Only the answer is printed. (The race showed in 2 of 5 starts through bin/alphaflow, whose
   * start-up cache loads classes quickly; a JVM without it, as here, rarely meets it.)
   */
  @Test
  void aCommandThatLoadsAFlowPrintsItsAnswerAlone() throws Exception {
    for (int i = 0; i < 4; i++) {
      Result unknown =
          alphaflow("approve", "nope", "deploy", "--by", "ann", "--home", dir.toString());
      assertThat(unknown.output().strip())
          .isEqualTo(
              "alphaflow: no run 'nope' in this store: 'alphaflow runs' lists the recent ones"
                  + " (the store of "
                  + dir
                  + "; a run started with another --home or --settings is in that store: pass"
                  + " the same option here)");
      assertThat(unknown.exit()).isEqualTo(2);
    }
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
