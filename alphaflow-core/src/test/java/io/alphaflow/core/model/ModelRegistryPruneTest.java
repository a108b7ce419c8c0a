package io.alphaflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alphaflow.core.ConflictException;
import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.model.PruneReport.Action;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.store.memory.InMemoryStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryPruneTest {
  @TempDir Path home;
  private final InMemoryStore store = new InMemoryStore();
  private final Instant t0 = Instant.parse("2026-03-02T09:00:00Z");
  private ModelRegistry registry;
  private final Map<String, ModelVersion> versions = new LinkedHashMap<>();

  /** Versions v1 (oldest) to v6, each promoted to champion in turn up to v4; v5, v6 are newer. */
  @BeforeEach
  void sixVersionsFourChampions() throws IOException {
    for (int i = 1; i <= 6; i++) {
      // a minute apart, so "newest" is plain
      registry =
          new ModelRegistry(store, home, Clock.fixed(t0.plusSeconds(60L * i), ZoneOffset.UTC));
      versions.put("v" + i, register("v" + i, "run" + i));
      if (i <= 4) {
        registry.promote("m", "v" + i, ModelRegistry.CHAMPION, "alice", null);
      }
    }
  }

  private ModelVersion register(String version, String runId) throws IOException {
    Path staged = Files.createDirectories(home.resolve("staged-" + version));
    Files.write(staged.resolve("model.bin"), new byte[1000]);
    Files.write(staged.resolve("predictions.parquet"), new byte[24_000]);
    Files.writeString(staged.resolve("manifest.json"), "{\"version\": \"" + version + "\"}");
    Files.writeString(staged.resolve("deployment_manifest.yaml"), "model: m\n");
    return registry.register("m", version, staged, "{}", runId, "register");
  }

  private Map<String, PruneReport.Item> byVersion(PruneReport report) {
    Map<String, PruneReport.Item> out = new LinkedHashMap<>();
    report.items().forEach(i -> out.put(i.version().version(), i));
    return out;
  }

  @Test
  void keepsTheChampionItsRollbackTargetsAndTheNewestAndPrunesTheRest() {
    PruneReport report = registry.prune("m", 1, "ops", false);

    Map<String, PruneReport.Item> items = byVersion(report);
    // newest first, as an operator reads them
    assertThat(items.keySet()).containsExactly("v6", "v5", "v4", "v3", "v2", "v1");
    assertThat(items.get("v6").why()).isEqualTo("the newest");
    assertThat(items.get("v4").why()).isEqualTo("the champion");
    assertThat(items.get("v3").why()).isEqualTo("the champion's next rollback returns to it");
    assertThat(List.of("v6", "v4", "v3"))
        .allSatisfy(v -> assertThat(items.get(v).action()).isEqualTo(Action.KEPT));
    assertThat(List.of("v5", "v2", "v1"))
        .allSatisfy(v -> assertThat(items.get(v).action()).isEqualTo(Action.PRUNED));
    assertThat(report.freedBytes()).isEqualTo(3 * 25_000);
    Path pruned = registry.dir("m", "v2");
    assertThat(pruned.resolve("model.bin")).doesNotExist();
    assertThat(pruned.resolve("predictions.parquet")).doesNotExist();
    // the records stay: what the version was, where it was deployed, and who pruned it
    assertThat(pruned.resolve("manifest.json")).exists();
    assertThat(pruned.resolve("deployment_manifest.yaml")).exists();
    assertThat(registry.pruned(versions.get("v2")).orElseThrow())
        .containsEntry("by", "ops")
        .containsEntry("bytes", 25_000)
        .containsEntry("deleted", List.of("model.bin", "predictions.parquet"));
    assertThat(registry.dir("m", "v3").resolve("model.bin")).exists();
    assertThat(registry.versions("m")).hasSize(6);
  }

  @Test
  void keepingMoreKeepsDeeperRollbackTargets() {
    Map<String, PruneReport.Item> items = byVersion(registry.prune("m", 2, "ops", true));

    assertThat(items.get("v2").why()).isEqualTo("the champion returns to it after 2 rollbacks");
    assertThat(items.get("v1").action()).isEqualTo(Action.PRUNED);
  }

  /**
   * A version a flow scores with by name is unseen by the registry: --keep-version keeps it. A name
   * that is no version fails before anything goes.
   */
  @Test
  void aVersionKeptByNameIsKept() {
    assertThatThrownBy(() -> registry.prune("m", 1, List.of("v1", "v9"), "ops", false))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no version 'v9'");
    assertThat(registry.dir("m", "v1").resolve("model.bin")).exists();
    assertThatThrownBy(() -> registry.prune("m", 1, List.of("champion"), "ops", false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the champion is kept already");

    Map<String, PruneReport.Item> items =
        byVersion(registry.prune("m", 1, List.of("v1"), "ops", false));

    assertThat(items.get("v1").action()).isEqualTo(Action.KEPT);
    assertThat(items.get("v1").why()).isEqualTo("kept by name (--keep-version)");
    assertThat(registry.dir("m", "v1").resolve("model.bin")).exists();
    assertThat(items.get("v2").action()).isEqualTo(Action.PRUNED);
  }

  @Test
  void aDryRunSaysWhatWouldGoAndDeletesNothing() {
    PruneReport dry = registry.prune("m", 1, null, true);

    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.freedBytes()).isEqualTo(3 * 25_000);
    assertThat(registry.dir("m", "v1").resolve("model.bin")).exists();
    assertThat(registry.pruned(versions.get("v1"))).isEmpty();
    assertThat(byVersion(registry.prune("m", 1, "ops", false)).get("v1").action())
        .isEqualTo(Action.PRUNED);
  }

  @Test
  void aSecondPruneReportsWhatTheFirstDid() {
    registry.prune("m", 1, "ops", false);

    PruneReport again = registry.prune("m", 1, "bob", false);

    assertThat(again.freedBytes()).isZero();
    PruneReport.Item v1 = byVersion(again).get("v1");
    assertThat(v1.action()).isEqualTo(Action.PRUNED_BEFORE);
    assertThat(v1.bytes()).isEqualTo(25_000);
    assertThat(v1.why()).contains("by ops");
  }

  @Test
  void aVersionOfARunStillGoingIsKept() {
    store.createRun(
        RunRecord.created("run5", "f", "f.yaml", "name: f", Map.of(), t0)
            .withState(RunState.WAITING, t0, null),
        List.of(),
        List.of());

    PruneReport.Item v5 = byVersion(registry.prune("m", 0, "ops", false)).get("v5");

    assertThat(v5.action()).isEqualTo(Action.KEPT);
    assertThat(v5.why()).isEqualTo("registered by run run5, which is WAITING: it may promote it");
  }

  @Test
  void aPrunedVersionCannotBePromotedNorRolledBackToUntilRegisteredAgain() throws IOException {
    registry.prune("m", 1, "ops", false);
    registry.rollback("m", ModelRegistry.CHAMPION, "ops", "within --keep");

    assertThatThrownBy(() -> registry.rollback("m", ModelRegistry.CHAMPION, "ops", null))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("cannot roll back the champion: version v2 of model 'm' was pruned")
        .hasMessageContaining("by ops");
    assertThatThrownBy(() -> registry.promote("m", "v1", ModelRegistry.CHAMPION, "ops", null))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("its model file is gone")
        .hasMessageContaining("Run the flow that trained it again");
    assertThat(registry.filesProblem(versions.get("v4"))).isNull();

    // the same model trained and registered again brings its files back
    register("v1", "run7");
    assertThat(registry.pruned(versions.get("v1"))).isEmpty();
    assertThat(registry.dir("m", "v1").resolve("model.bin")).hasSize(1000);
    assertThat(registry.promote("m", "v1", ModelRegistry.CHAMPION, "ops", null).version())
        .isEqualTo("v1");
  }

  @Test
  void refusesANegativeKeepAndAnUnknownModel() {
    assertThatThrownBy(() -> registry.prune("m", -1, "ops", false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("keep must be 0 or more");
    assertThatThrownBy(() -> registry.prune("mm", 1, "ops", false))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("did you mean 'm'?");
  }
}
