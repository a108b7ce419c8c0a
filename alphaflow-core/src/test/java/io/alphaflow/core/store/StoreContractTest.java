package io.alphaflow.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventType;
import io.alphaflow.core.model.AliasMove;
import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Store} must do; each implementation's test extends this. */
public abstract class StoreContractTest {
  protected Store store;
  private final Instant t0 = Instant.parse("2024-03-01T09:30:00.123456Z");

  protected abstract Store newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RunRecord aRun(String id, Instant created) {
    return RunRecord.created(
        id, "flow", "flow.yaml", "name: flow", Map.of("date", "2024-03-01"), created);
  }

  @Test
  void createdRunIsReadBackWithItsTasksInOrder() {
    store.createRun(
        aRun("r1", t0),
        List.of(TaskRunRecord.pending("r1", "b"), TaskRunRecord.pending("r1", "a")),
        List.of(new Event("r1", EventType.WORKFLOW_STARTED, null, 0, t0, "go")));

    RunRecord run = store.findRun("r1").orElseThrow();
    assertThat(run.params()).containsEntry("date", "2024-03-01");
    assertThat(run.flowSource()).isEqualTo("name: flow");
    assertThat(run.createdAt()).isEqualTo(t0);
    assertThat(store.taskRuns("r1")).extracting(TaskRunRecord::taskId).containsExactly("b", "a");
    assertThat(store.events("r1"))
        .extracting(Event::type)
        .containsExactly(EventType.WORKFLOW_STARTED);
  }

  @Test
  void committedBatchUpdatesTasksRunAndAppendsEvents() {
    store.createRun(aRun("r1", t0), List.of(TaskRunRecord.pending("r1", "a")), List.of());
    TaskRunRecord running =
        TaskRunRecord.pending("r1", "a").toBuilder().state(TaskState.QUEUED).build().toBuilder()
            .state(TaskState.RUNNING)
            .attempt(1)
            .startedAt(t0)
            .build();
    TaskRunRecord done =
        running.toBuilder()
            .state(TaskState.SUCCEEDED)
            .endedAt(t0.plusMillis(5))
            .exitCode(0)
            .outputs(Map.of("path", "/tmp/x"))
            .build();
    store.commit(
        new StoreBatch(
            null,
            List.of(running),
            List.of(new Event("r1", EventType.TASK_STARTED, "a", 1, t0, ""))));
    store.commit(
        new StoreBatch(
            aRun("r1", t0).withState(RunState.SUCCEEDED, t0.plusSeconds(1), null),
            List.of(done),
            List.of(new Event("r1", EventType.TASK_COMPLETED, "a", 1, t0.plusMillis(5), "ok"))));

    TaskRunRecord stored = store.taskRuns("r1").get(0);
    assertThat(stored.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(stored.attempt()).isEqualTo(1);
    assertThat(stored.exitCode()).isZero();
    assertThat(stored.outputs()).containsEntry("path", "/tmp/x");
    assertThat(stored.endedAt()).isEqualTo(t0.plusMillis(5));
    assertThat(store.findRun("r1").orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(store.events("r1"))
        .extracting(Event::type)
        .containsExactly(EventType.TASK_STARTED, EventType.TASK_COMPLETED);
  }

  @Test
  void recentRunsAreNewestFirstAndLimited() {
    for (int i = 0; i < 5; i++) {
      store.createRun(aRun("r" + i, t0.plus(i, ChronoUnit.MINUTES)), List.of(), List.of());
    }
    assertThat(store.recentRuns(3)).extracting(RunRecord::runId).containsExactly("r4", "r3", "r2");
  }

  @Test
  void recentRunsNarrowByFlowAndState() {
    String[][] runs = {
      {"a1", "etl", "FAILED"}, {"a2", "etl", "SUCCEEDED"}, {"b1", "train", "FAILED"},
      {"a3", "etl", "FAILED"}, {"b2", "train", "CANCELLED"}, {"a4", "etl", "WAITING"}
    };
    for (int i = 0; i < runs.length; i++) {
      Instant created = t0.plus(i, ChronoUnit.MINUTES);
      store.createRun(
          RunRecord.created(
                  runs[i][0],
                  runs[i][1],
                  runs[i][1] + ".yaml",
                  "name: " + runs[i][1],
                  Map.of(),
                  created)
              .withState(RunState.valueOf(runs[i][2]), created, null),
          List.of(),
          List.of());
    }

    assertThat(store.recentRuns(10, "etl", Set.of(RunState.FAILED)))
        .extracting(RunRecord::runId)
        .containsExactly("a3", "a1");
    assertThat(store.recentRuns(10, null, Set.of(RunState.FAILED, RunState.CANCELLED)))
        .extracting(RunRecord::runId)
        .containsExactly("b2", "a3", "b1", "a1");
    assertThat(store.recentRuns(2, "etl", Set.of()))
        .extracting(RunRecord::runId)
        .containsExactly("a4", "a3");
    assertThat(store.recentRuns(10, "nope", Set.of())).isEmpty();
    assertThat(store.flowNames()).containsExactly("etl", "train");
  }

  @Test
  void onlyOneClaimOnTheSameOwnerWins() {
    store.createRun(aRun("r1", t0), List.of(), List.of());

    assertThat(store.claimRun("r1", null, "1@host", t0)).isTrue();
    assertThat(store.claimRun("r1", null, "2@host", t0)).isFalse();
    assertThat(store.claimRun("r1", "1@host", "2@host", t0.plusSeconds(1))).isTrue();

    RunRecord run = store.findRun("r1").orElseThrow();
    assertThat(run.owner()).isEqualTo("2@host");
    assertThat(run.heartbeatAt()).isEqualTo(t0.plusSeconds(1));
    assertThat(store.claimRun("nope", null, "1@host", t0)).isFalse();
  }

  @Test
  void theLatestCancelRequestWins() {
    store.createRun(aRun("r1", t0), List.of(), List.of());
    assertThat(store.cancelRequest("r1")).isEmpty();

    store.requestCancel("r1", new CancelRequest("first", t0));
    store.requestCancel("r1", new CancelRequest("market halted", t0.plusSeconds(5)));

    assertThat(store.cancelRequest("r1"))
        .contains(new CancelRequest("market halted", t0.plusSeconds(5)));
    store.clearCancelRequest("r1");
    assertThat(store.cancelRequest("r1")).isEmpty();
  }

  @Test
  void artifactsAreFoundByHashPrefixAndByWhatTheyWereMadeFrom() {
    store.createRun(aRun("r1", t0), List.of(), List.of());
    Artifact raw =
        new Artifact(
            "aa11" + "0".repeat(60),
            "r1",
            "ingest",
            "ingest",
            "1.0",
            "/o/ingest",
            10,
            1,
            t0,
            List.of(),
            null);
    Artifact clean =
        new Artifact(
            "aa22" + "0".repeat(60),
            "r1",
            "clean",
            "clean",
            "1.0",
            "/o/clean",
            8,
            1,
            t0,
            List.of(raw.hash()),
            null);
    store.commit(new StoreBatch(null, List.of(), List.of(), List.of(raw, clean)));
    store.commit(new StoreBatch(null, List.of(), List.of(), List.of(raw))); // made again: kept once

    assertThat(store.findArtifact("aa22")).contains(clean);
    assertThat(store.findArtifact("aa")).as("ambiguous prefix").isEmpty();
    assertThat(store.findArtifact(raw.hash())).contains(raw);
    assertThat(store.consumersOf(raw.hash())).containsExactly(clean);
    assertThat(store.consumersOf(clean.hash())).isEmpty();
  }

  @Test
  void runsOfAFlowAreListedOldestFirst() {
    store.createRun(aRun("b", t0.plusSeconds(1)), List.of(), List.of());
    store.createRun(aRun("a", t0), List.of(), List.of());
    store.createRun(
        RunRecord.created("x", "other", null, null, Map.of(), t0), List.of(), List.of());
    assertThat(store.runsOf("flow")).extracting(RunRecord::runId).containsExactly("a", "b");
  }

  @Test
  void aCacheKeyHasOneHolderUntilReleasedOrReplaced() {
    assertThat(store.claimCacheKey("k", "p1/r1/t/1", null, t0)).isTrue();
    assertThat(store.claimCacheKey("k", "p2/r2/t/1", null, t0)).isFalse();
    assertThat(store.cacheKeyHolder("k")).contains("p1/r1/t/1");
    assertThat(store.claimCacheKey("k", "p2/r2/t/1", "p9/gone/t/1", t0))
        .as("wrong holder named")
        .isFalse();
    assertThat(store.claimCacheKey("k", "p2/r2/t/1", "p1/r1/t/1", t0))
        .as("dead holder replaced")
        .isTrue();

    store.releaseCacheKey("k", "p1/r1/t/1");
    assertThat(store.cacheKeyHolder("k")).as("only the holder releases").contains("p2/r2/t/1");
    store.releaseCacheKey("k", "p2/r2/t/1");
    assertThat(store.cacheKeyHolder("k")).isEmpty();
  }

  @Test
  void unknownRunIsEmptyNotAnError() {
    assertThat(store.findRun("nope")).isEmpty();
    assertThat(store.taskRuns("nope")).isEmpty();
    assertThat(store.events("nope")).isEmpty();
  }

  @Test
  void firstDecisionOnAWaitingTaskStands() {
    Approval yes = new Approval("r1", "deploy", Decision.APPROVED, "alice", "metrics ok", t0);
    Approval no =
        new Approval("r1", "deploy", Decision.REJECTED, "bob", "too late", t0.plusSeconds(1));

    assertThat(store.decide(yes)).isTrue();
    assertThat(store.decide(no)).isFalse();

    assertThat(store.approval("r1", "deploy")).contains(yes);
    assertThat(store.approval("r1", "train")).isEmpty();
    assertThat(store.approvals("r1")).containsExactly(yes);
  }

  @Test
  void modelVersionsAreFoundByUniquePrefixAndAliasesMoveOnlyFromWhereTheyAre() {
    ModelVersion v1 = new ModelVersion("m", "aaa111", "/models/m/aaa111", "{}", "r1", "reg", t0);
    ModelVersion v2 =
        new ModelVersion("m", "aab222", "/models/m/aab222", "{}", "r2", "reg", t0.plusSeconds(1));
    assertThat(store.registerModel(v1)).isTrue();
    assertThat(store.registerModel(v1)).isFalse();
    store.registerModel(v2);

    assertThat(store.modelVersion("m", "aab")).contains(v2);
    assertThat(store.modelVersion("m", "aa")).isEmpty(); // ambiguous
    assertThat(store.modelVersions("m")).containsExactly(v1, v2);
    assertThat(store.modelNames()).containsExactly("m");

    AliasMove first = new AliasMove("m", "champion", "aaa111", null, "promote", "alice", "", t0);
    AliasMove second =
        new AliasMove("m", "champion", "aab222", "aaa111", "promote", "bob", "better", t0);
    AliasMove stale =
        new AliasMove("m", "champion", "aab222", null, "promote", "carol", "race", t0);
    assertThat(store.moveAlias(first)).isTrue();
    assertThat(store.moveAlias(stale)).isFalse();
    assertThat(store.moveAlias(second)).isTrue();
    assertThat(store.alias("m", "champion")).contains("aab222");
    assertThat(store.aliasHistory("m")).containsExactly(first, second);
  }
}
