package io.alphaflow.core.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.store.memory.InMemoryStore;
import io.alphaflow.core.testkit.TestFlows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GarbageCollectorTest {
  @TempDir Path home;

  private static final String FLOW =
      """
      name: keep_a_day
      tasks:
        - {id: raw, type: flaky, retention_days: 0}
        - {id: report, type: flaky, depends_on: [raw]}
      """;

  @Test
  void expiredFilesGoPinnedRunsAndUnexpiredOnesStayAndDryRunDeletesNothing() throws Exception {
    try (InMemoryStore store = new InMemoryStore();
        Engine engine = Engine.builder(store).tasks(TestFlows.registry()).home(home).build()) {
      RunResult old = engine.run(TestFlows.parse(FLOW), Map.of());
      RunResult pinned = engine.run(TestFlows.parse(FLOW), Map.of());
      store.pinRun(pinned.runId(), true);
      Path oldRaw = home.resolve("outputs").resolve(old.runId()).resolve("raw");
      Path oldReport = home.resolve("outputs").resolve(old.runId()).resolve("report");
      Path oldLogs = home.resolve("logs").resolve(old.runId());
      Files.createDirectories(oldLogs);
      Files.writeString(oldLogs.resolve("x.log"), "12345");
      GarbageCollector gc = new GarbageCollector(store, home, a -> false);
      Instant later = Instant.now().plus(Duration.ofDays(1));

      GarbageCollector.Report dry = gc.collect(later, Duration.ofHours(1), true);
      assertThat(dry.deleted())
          .extracting(GarbageCollector.Item::kind)
          .containsExactlyInAnyOrder("artifact", "logs");
      assertThat(oldRaw).exists();

      GarbageCollector.Report real = gc.collect(later, Duration.ofHours(1), false);

      assertThat(oldRaw).doesNotExist();
      assertThat(oldLogs).doesNotExist();
      assertThat(oldReport).as("no retention_days: kept").exists();
      assertThat(home.resolve("outputs").resolve(pinned.runId()).resolve("raw")).exists();
      assertThat(real.kept())
          .extracting(GarbageCollector.Item::reason)
          .contains("run " + pinned.runId() + " is pinned");
      assertThat(real.freedBytes()).isEqualTo(dry.freedBytes()).isGreaterThan(5);
      assertThat(store.findArtifact(old.tasks().get(0).artifact())).as("lineage stays").isPresent();
      assertThat(gc.collect(later, Duration.ofHours(1), false).deleted())
          .as("already collected")
          .isEmpty();
    }
  }
}
