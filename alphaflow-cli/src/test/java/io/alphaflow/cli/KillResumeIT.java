package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import io.alphaflow.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Starts a flow in a child JVM running the real CLI jar, kills it with kill -9 mid-run, resumes,
 * and checks that no task that had succeeded ran twice and the run finishes.
 */
class KillResumeIT {
  private static final List<String> TASKS = List.of("t1", "t2", "t3", "t4", "t5", "t6");

  @TempDir Path dir;

  @ParameterizedTest(name = "killed after {0} task(s) succeeded")
  @ValueSource(ints = {1, 3})
  void killedRunResumesWithoutRepeatingSucceededTasks(int succeededBeforeKill) throws Exception {
    Path home = dir.resolve(".alphaflow");
    Path side = dir.resolve("side-effects.txt");
    Path flow = dir.resolve("crash.yaml");
    StringBuilder yaml = new StringBuilder("name: crash\nparams: {side: {type: string}}\ntasks:\n");
    String previous = null;
    for (String t : TASKS) {
      yaml.append("  - id: ").append(t).append("\n    type: shell\n");
      if (previous != null) {
        yaml.append("    depends_on: [").append(previous).append("]\n");
      }
      yaml.append(
          "    config:\n      command: [\"sh\", \"-c\", \"sleep 0.5; echo $TASK >> \\\"$SIDE\\\"\"]\n");
      yaml.append("      env: {TASK: ").append(t).append(", SIDE: \"${params.side}\"}\n");
      previous = t;
    }
    Files.writeString(flow, yaml);

    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                Path.of("target/alphaflow-cli.jar").toAbsolutePath().toString(),
                "run",
                flow.toString(),
                "--param",
                "side=" + side,
                "--home",
                home.toString(),
                "--quiet")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();

    String runId = waitUntilSucceeded(home, succeededBeforeKill, child, dir.resolve("child.log"));
    new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
    assertThat(child.waitFor()).isEqualTo(137);

    Set<String> succeededAtKill;
    try (SqliteStore store = SqliteStore.open(home.resolve("state.db"))) {
      succeededAtKill =
          store.taskRuns(runId).stream()
              .filter(t -> t.state() == TaskState.SUCCEEDED)
              .map(TaskRunRecord::taskId)
              .collect(Collectors.toSet());
      assertThat(store.findRun(runId).orElseThrow().state().isTerminal()).isFalse();
    }
    assertThat(succeededAtKill)
        .hasSizeGreaterThanOrEqualTo(succeededBeforeKill)
        .hasSizeLessThan(TASKS.size());

    Cli.Result resumed = new Cli(home).run("resume", runId, "--json");

    assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    JsonNode json = resumed.json();
    assertThat(json.get("state").asText()).isEqualTo("SUCCEEDED");
    List<String> effects = Files.readAllLines(side);
    for (String t : succeededAtKill) {
      assertThat(Collections.frequency(effects, t)).as("side effects of %s", t).isEqualTo(1);
    }
    for (String t : TASKS) {
      assertThat(effects).as("every task ran").contains(t);
    }
    for (JsonNode t : json.get("tasks")) {
      int expectedAttempts =
          succeededAtKill.contains(t.get("id").asText()) ? 1 : t.get("attempts").asInt();
      assertThat(t.get("attempts").asInt()).isEqualTo(expectedAttempts).isBetween(1, 2);
    }
  }

  private static String waitUntilSucceeded(Path home, int count, Process child, Path childLog)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    SqliteStore store = null;
    try {
      while (Instant.now().isBefore(deadline)) {
        if (!child.isAlive()) {
          throw new AssertionError(
              "the child run ended before it could be killed:\n" + Files.readString(childLog));
        }
        if (store == null && Files.exists(home.resolve("state.db"))) {
          try {
            store = SqliteStore.open(home.resolve("state.db"));
          } catch (RuntimeException e) {
            // the child may be creating the schema right now; look again
          }
        }
        if (store != null) {
          List<RunRecord> runs = store.recentRuns(1);
          if (!runs.isEmpty()) {
            List<TaskRunRecord> tasks = store.taskRuns(runs.get(0).runId());
            long done = tasks.stream().filter(t -> t.state() == TaskState.SUCCEEDED).count();
            boolean oneRunning = tasks.stream().anyMatch(t -> t.state() == TaskState.RUNNING);
            if (done >= count && oneRunning) {
              return runs.get(0).runId();
            }
          }
        }
        Thread.sleep(10);
      }
      throw new AssertionError("the child run did not get far enough in 60s");
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }
}
