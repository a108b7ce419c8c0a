package io.alphaflow.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alphaflow.core.ConflictException;
import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventType;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import io.alphaflow.core.store.memory.InMemoryStore;
import io.alphaflow.core.testkit.RecordTask;
import io.alphaflow.core.testkit.TestFlows;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalTest {
  @TempDir Path home;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private InMemoryStore store;
  private Engine engine;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private static final String GATED =
      """
      name: gated
      max_concurrent_tasks: 1
      tasks:
        - {id: train, type: record}
        - {id: deploy, type: record, depends_on: [train], approval: required}
        - {id: notify, type: record, depends_on: [deploy]}
        - {id: side, type: record, depends_on: [train]}
      """;

  @BeforeEach
  void setUp() {
    store = new InMemoryStore();
    engine = Engine.builder(store).tasks(TestFlows.registry()).home(home).clock(now::get).build();
    engine.events().subscribe(events::add);
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private TaskState state(String runId, String taskId) {
    return store.taskRuns(runId).stream()
        .filter(t -> t.taskId().equals(taskId))
        .map(TaskRunRecord::state)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aGatedTaskParksTheRunWithoutHoldingTheOnlyWorkerAndApprovalContinuesIt() {
    RunResult parked = engine.run(TestFlows.parse(GATED), Map.of());

    // side ran although deploy waited: the wait held no slot of max_concurrent_tasks 1
    assertThat(parked.state()).isEqualTo(RunState.WAITING);
    assertThat(state(parked.runId(), "deploy")).isEqualTo(TaskState.AWAITING_APPROVAL);
    assertThat(state(parked.runId(), "side")).isEqualTo(TaskState.SUCCEEDED);
    assertThat(state(parked.runId(), "notify")).isEqualTo(TaskState.PENDING);
    assertThat(RecordTask.starts(parked.runId())).doesNotContain("deploy");
    assertThat(store.findRun(parked.runId()).orElseThrow().owner()).isNull();

    engine.decide(parked.runId(), "deploy", Decision.APPROVED, "alice", "metrics ok");
    RunResult done = engine.resume(parked.runId());

    assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(RecordTask.starts(parked.runId())).contains("deploy", "notify");
    assertThat(store.approval(parked.runId(), "deploy").orElseThrow().describe())
        .startsWith("approved by alice at ")
        .containsPattern("approved by alice at [-0-9]+T[0-9:]+Z")
        .endsWith(": metrics ok");
    assertThat(events)
        .extracting(Event::type)
        .contains(
            EventType.TASK_AWAITING_APPROVAL, EventType.WORKFLOW_WAITING, EventType.TASK_APPROVED);
  }

  @Test
  void theRequestSaysWhatApprovingDoesAsTheTaskTypeSaysItWithItsUpstreamsOutputs() {
    RunResult parked =
        engine.run(
            TestFlows.parse(
                """
                name: described
                tasks:
                  - {id: train, type: record, config: {output: {version: 7f3a, rows: many}}}
                  - id: deploy
                    type: record
                    depends_on: [train]
                    approval: required
                    config: {approval_subject: "approving ships ${tasks.train.outputs.version}"}
                  - id: broken
                    type: record
                    depends_on: [train]
                    approval: required
                    config: {approval_subject: "!registry unreadable"}
                  - {id: plain, type: record, depends_on: [train], approval: required}
                  - id: noted
                    type: record
                    depends_on: [train]
                    approval: {message: "check the drawdown of ${tasks.train.outputs.version} for ${params.desk}"}
                    config: {approval_subject: "approving ships it"}
                  - id: misset
                    type: java
                    depends_on: [train]
                    approval: required
                    config: {class: io.alphaflow.core.testkit.StrictTask, rows: "${tasks.train.outputs.rows}"}
                params:
                  desk: {type: string, default: rates}
                """),
            Map.of());

    Map<String, String> errors =
        store.taskRuns(parked.runId()).stream()
            .filter(t -> t.state() == TaskState.AWAITING_APPROVAL)
            .collect(
                java.util.stream.Collectors.toMap(TaskRunRecord::taskId, TaskRunRecord::error));
    assertThat(errors)
        .containsEntry("deploy", "approval required: approving ships 7f3a")
        .containsEntry(
            "broken", "approval required: cannot say what approving does: registry unreadable")
        .containsEntry("plain", "approval required")
        .containsEntry(
            "noted", "approval required: check the drawdown of 7f3a for rates; approving ships it")
        // its type refuses what the upstream output gave: approved, it would fail at once
        .containsEntry(
            "misset",
            "approval required: approving cannot work: its config, with the ${...} values filled"
                + " in: rows: rows is a whole number, was 'many' (rows: 3)");
    assertThat(events)
        .filteredOn(
            e -> e.type() == EventType.TASK_AWAITING_APPROVAL && e.taskId().equals("deploy"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .isEqualTo("waiting for approval (approval required): approving ships 7f3a"));
  }

  @Test
  void rejectionFailsTheTaskWithWhoAndWhyAndItsDownstreamDoesNotRun() {
    RunResult parked = engine.run(TestFlows.parse(GATED), Map.of());

    engine.decide(parked.runId(), "deploy", Decision.REJECTED, "bob", "drawdown too deep");
    RunResult done = engine.resume(parked.runId());

    assertThat(done.state()).isEqualTo(RunState.FAILED);
    TaskRunRecord deploy =
        done.tasks().stream().filter(t -> t.taskId().equals("deploy")).findFirst().orElseThrow();
    assertThat(deploy.state()).isEqualTo(TaskState.FAILED);
    assertThat(deploy.error()).contains("rejected by bob").contains("drawdown too deep");
    assertThat(state(parked.runId(), "notify")).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(RecordTask.starts(parked.runId())).doesNotContain("deploy", "notify");
  }

  @Test
  void aSecondDecisionOrOneOnATaskThatDoesNotWaitIsRefused() {
    RunResult parked = engine.run(TestFlows.parse(GATED), Map.of());
    engine.decide(parked.runId(), "deploy", Decision.APPROVED, "alice", null);

    assertThatThrownBy(
            () -> engine.decide(parked.runId(), "deploy", Decision.REJECTED, "bob", "no"))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("already approved by alice");
    assertThatThrownBy(() -> engine.decide(parked.runId(), "side", Decision.APPROVED, "bob", null))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("is not waiting for approval (it is SUCCEEDED)");
  }

  @Test
  void anExpiredRequestIsRejectedByTimeout() {
    RunResult parked =
        engine.run(
            TestFlows.parse(
                """
                name: timed
                tasks:
                  - {id: deploy, type: record, approval: {timeout: 4h}}
                """),
            Map.of());
    assertThat(events)
        .filteredOn(e -> e.type() == EventType.TASK_AWAITING_APPROVAL)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .containsPattern("rejected unless decided within 4h, by [-0-9]+T[0-9:]+Z\\)$"));
    now.set(now.get().plus(Duration.ofHours(5)));

    assertThatThrownBy(
            () -> engine.decide(parked.runId(), "deploy", Decision.APPROVED, "alice", null))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("expired");
    RunResult done = engine.resume(parked.runId());

    assertThat(done.state()).isEqualTo(RunState.FAILED);
    assertThat(done.tasks().get(0).error()).contains("rejected by timeout");
  }

  @Test
  void requiredIfAsksOnlyWhenTheUpstreamOutputSaysSo() {
    String flow =
        """
        name: review
        params:
          breached: {type: string}
        tasks:
          - {id: evaluate, type: shell, config: {command: ["sh", "-c", "echo breached=$B >> $ALPHAFLOW_OUTPUTS"], env: {B: "${params.breached}"}}}
          - {id: package, type: record, depends_on: [evaluate], approval: {required_if: "${tasks.evaluate.outputs.breached}"}}
        """;
    RunResult clean = engine.run(TestFlows.parse(flow), Map.of("breached", "false"));
    RunResult breached = engine.run(TestFlows.parse(flow), Map.of("breached", "true"));

    assertThat(clean.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(breached.state()).isEqualTo(RunState.WAITING);
  }

  @Test
  void requiredIfNamingATaskThatIsNotUpstreamIsAValidationError() {
    assertThatThrownBy(
            () ->
                TestFlows.parse(
                    """
                    name: bad
                    tasks:
                      - {id: evaluate, type: record}
                      - {id: package, type: record, approval: {required_if: "${tasks.evaluate.outputs.breached}"}}
                    """))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not upstream");
  }
}
