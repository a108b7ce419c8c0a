package io.alphaflow.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventType;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import io.alphaflow.core.store.memory.InMemoryStore;
import io.alphaflow.core.testkit.RecordTask;
import io.alphaflow.core.testkit.StrictTask;
import io.alphaflow.core.testkit.TestFlows;
import io.alphaflow.core.testkit.VersionedTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
  @TempDir Path home;
  private InMemoryStore store;
  private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
      new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
  private Engine engine;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    store = new InMemoryStore();
    engine =
        Engine.builder(store)
            .tasks(TestFlows.registry())
            .home(home)
            .random(() -> 0.5)
            .meters(meters)
            .build();
    engine.events().subscribe(events::add);
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  private RunResult run(String yaml) {
    return engine.run(TestFlows.parse(yaml), Map.of());
  }

  private static Map<String, TaskRunRecord> byId(RunResult r) {
    return r.tasks().stream().collect(Collectors.toMap(TaskRunRecord::taskId, t -> t));
  }

  @Test
  void readyTasksStartByPriorityThenByReadiness() {
    RunResult r =
        run(
            """
            name: prio
            max_concurrent_tasks: 1
            tasks:
              - {id: gate, type: record}
              - {id: low, type: record, priority: LOW, depends_on: [gate]}
              - {id: medium, type: record, depends_on: [gate]}
              - {id: critical, type: record, priority: CRITICAL, depends_on: [gate]}
              - {id: high1, type: record, priority: HIGH, depends_on: [gate]}
              - {id: high2, type: record, priority: HIGH, depends_on: [gate]}
            """);

    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(RecordTask.starts(r.runId()))
        .containsExactly("gate", "critical", "high1", "high2", "medium", "low");
  }

  @Test
  void failedTaskIsRetriedUntilMaxAttemptsThenDownstreamIsUpstreamFailed() {
    RunResult r =
        run(
            """
            name: retry
            tasks:
              - id: flaky
                type: flaky
                retry: {max_attempts: 3, backoff: fixed, base_delay: 10ms, jitter: false}
                config: {fail_times: 5, exit_code: 3}
              - {id: after, type: record, depends_on: [flaky]}
            """);

    Map<String, TaskRunRecord> t = byId(r);
    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(t.get("flaky").state()).isEqualTo(TaskState.FAILED);
    assertThat(t.get("flaky").attempt()).isEqualTo(3);
    assertThat(t.get("flaky").exitCode()).isEqualTo(3);
    assertThat(t.get("flaky").error())
        .isEqualTo("task 'flaky' failed on attempt 3 of 3: simulated exit code 3");
    assertThat(t.get("after").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(events.stream().filter(e -> e.type() == EventType.TASK_RETRYING))
        .hasSize(2)
        .allSatisfy(
            e ->
                assertThat(e.message())
                    .startsWith("attempt ")
                    .containsPattern(
                        "; next attempt in \\S+ at [-0-9]+T[0-9:]+(\\.[0-9]{1,3})?Z$"));
    assertThat(r.error()).contains("flaky (FAILED)").contains("after (UPSTREAM_FAILED)");
  }

  @Test
  void retriedTaskSucceedsAndLeavesOnlyTheSuccessfulAttemptsOutput() {
    RunResult r =
        run(
            """
            name: retry_ok
            tasks:
              - id: flaky
                type: flaky
                retry: {max_attempts: 4, base_delay: 5ms}
                config: {fail_times: 2}
            """);

    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(byId(r).get("flaky").attempt()).isEqualTo(3);
    Path out = home.resolve("outputs").resolve(r.runId()).resolve("flaky");
    assertThat(out.resolve("result.txt")).hasContent("done on attempt 3 by flaky");
    assertThat(out.resolve("attempt-1.part")).doesNotExist();
    try (var siblings = Files.list(out.getParent())) {
      assertThat(siblings.map(p -> p.getFileName().toString())).containsExactly("flaky");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void filesATaskWritesBecomeAHashedArtifactWithLineageAndACheckpointMarker() throws Exception {
    RunResult r =
        run(
            """
            name: lineage
            tasks:
              - {id: raw, type: flaky}
              - {id: marker, type: noop, depends_on: [raw]}
              - {id: derived, type: flaky, depends_on: [marker, raw]}
            """);
    Map<String, TaskRunRecord> t = byId(r);
    String raw = t.get("raw").artifact();
    assertThat(raw).hasSize(64);
    assertThat(t.get("marker").artifact()).isNull();
    assertThat(store.findArtifact(t.get("derived").artifact()).orElseThrow().inputs())
        .containsExactly(raw);
    Path dir = home.resolve("outputs").resolve(r.runId()).resolve("raw");
    assertThat(io.alphaflow.core.artifact.ContentHash.of(dir).hash()).isEqualTo(raw);
    assertThat(dir.resolve(".ok")).content().contains(raw);
  }

  private static final String CACHED =
      """
      name: cached
      params: {day: {type: date, default: 2024-03-01}}
      tasks:
        - {id: make, type: flaky, cache: true}
        - id: use
          type: shell
          depends_on: [make]
          config:
            command: ["sh", "-c", 'cat "$DIR/result.txt" > /dev/null && echo "read=$DIR" >> "$ALPHAFLOW_OUTPUTS"']
            env: {DIR: "${tasks.make.output_dir}"}
      """;

  @Test
  void aCachedTaskWithTheSameInputsReusesTheEarlierResult() {
    RunResult first = run(CACHED);
    RunResult second = run(CACHED);

    TaskRunRecord reused = byId(second).get("make");
    assertThat(reused.state()).isEqualTo(TaskState.SKIPPED_CACHED);
    assertThat(reused.artifact()).isEqualTo(byId(first).get("make").artifact());
    assertThat(reused.cacheKey()).isEqualTo(byId(first).get("make").cacheKey()).isNotNull();
    assertThat(byId(second).get("use").outputs().get("read"))
        .isEqualTo(
            home.resolve("outputs")
                .resolve(first.runId())
                .resolve("make")
                .toAbsolutePath()
                .toString());
    assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(store.events(second.runId()))
        .extracting(Event::type)
        .contains(EventType.TASK_CACHED);
    assertThat(byId(first).get("use").cacheKey()).as("shell is not cached by default").isNull();
  }

  @Test
  void aChangedParamForcingOrAMissingArtifactMeansRecomputing() throws Exception {
    RunResult first = run(CACHED);
    Flow flow = TestFlows.parse(CACHED);

    assertThat(byId(engine.run(flow, Map.of("day", "2024-03-04"))).get("make").state())
        .as("another param value")
        .isEqualTo(TaskState.SUCCEEDED);
    assertThat(
            byId(engine.run(flow, Map.of(), new CachePolicy(false, java.util.Set.of("make"))))
                .get("make")
                .state())
        .as("--force-task make")
        .isEqualTo(TaskState.SUCCEEDED);
    assertThat(
            byId(engine.run(flow, Map.of(), new CachePolicy(true, java.util.Set.of())))
                .get("make")
                .state())
        .as("--force")
        .isEqualTo(TaskState.SUCCEEDED);

    for (RunRecord r : store.recentRuns(10)) {
      io.alphaflow.core.artifact.Checkpoints.deleteTree(home.resolve("outputs").resolve(r.runId()));
    }
    assertThat(byId(run(CACHED)).get("make").state())
        .as("the cached files are gone")
        .isEqualTo(TaskState.SUCCEEDED);
    assertThat(first.state()).isEqualTo(RunState.SUCCEEDED);
  }

  @Test
  void aParamATaskDoesNotReadLeavesItsCacheKeyAlone() {
    Flow flow =
        TestFlows.parse(
            """
            name: params
            params:
              day: {type: date, default: 2024-03-01}
              threshold: {type: float, default: 0.5}
            tasks:
              - {id: load, type: noop, cache: true, config: {day: "${params.day}"}}
              - {id: shell, type: shell, cache: true, config: {command: ["true"]}}
            """);
    engine.run(flow, Map.of());

    Map<String, TaskRunRecord> otherThreshold = byId(engine.run(flow, Map.of("threshold", "0.9")));
    assertThat(otherThreshold.get("load").state())
        .as("noop reads only its config, which names the day")
        .isEqualTo(TaskState.SKIPPED_CACHED);
    assertThat(otherThreshold.get("shell").state())
        .as("a shell task sees every param in its environment")
        .isEqualTo(TaskState.SUCCEEDED);
    assertThat(byId(engine.run(flow, Map.of("day", "2024-03-04"))).get("load").state())
        .isEqualTo(TaskState.SUCCEEDED);
  }

  private static final String THREE_STEPS =
      """
      name: three
      tasks:
        - {id: extract, type: flaky}
        - {id: transform, type: flaky, depends_on: [extract]}
        - {id: load, type: flaky, depends_on: [transform]}
      """;

  @Test
  void rerunRunsATaskAndWhatDependsOnItAgainAfterClearingItsOutputs() throws Exception {
    RunResult first = run(THREE_STEPS);
    Path transform = home.resolve("outputs").resolve(first.runId()).resolve("transform");
    Files.writeString(transform.resolve("stale.tmp"), "left by hand");
    Files.createDirectories(transform.resolveSibling("transform.staging-9"));

    RunResult again = engine.rerun(first.runId(), "transform", true);

    Map<String, TaskRunRecord> t = byId(again);
    assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(t.get("extract").attempt()).isEqualTo(1);
    assertThat(t.get("transform").attempt()).isEqualTo(2);
    assertThat(t.get("load").attempt()).isEqualTo(2);
    assertThat(transform.resolve("stale.tmp")).doesNotExist();
    assertThat(transform.resolveSibling("transform.staging-9")).doesNotExist();
    assertThat(transform.resolve("result.txt")).hasContent("done on attempt 2 by transform");

    assertThat(byId(engine.rerun(first.runId(), "transform", false)).get("load").attempt())
        .as("without --downstream")
        .isEqualTo(2);
  }

  @Test
  void rerunRefusesWhenAnUpstreamCheckpointIsGone() throws Exception {
    RunResult first = run(THREE_STEPS);
    Files.delete(home.resolve("outputs").resolve(first.runId()).resolve("extract").resolve(".ok"));

    assertThatThrownBy(() -> engine.rerun(first.runId(), "load", false))
        .isInstanceOf(io.alphaflow.core.ConflictException.class)
        .hasMessageContaining("the checkpoint of upstream task 'extract' is missing or changed")
        .hasMessageContaining("alphaflow rerun " + first.runId() + " extract --downstream");
    assertThat(byId(engine.rerun(first.runId(), "extract", true)).get("load").attempt())
        .isEqualTo(2);
  }

  @Test
  void aSharedCircuitBreakerOpensAfterRepeatedFailuresAndRecovers() throws Exception {
    String yaml =
        """
        name: vendor_calls
        resources: {vendor: {failure_threshold: 2, recovery_timeout: 300ms, max_attempts: 1}}
        defaults: {retry: {max_attempts: 1}, trigger_rule: all_done}
        tasks:
          - {id: a, type: vendor, config: {fail: true}}
          - {id: b, type: vendor, depends_on: [a], config: {fail: true}}
          - {id: c, type: vendor, depends_on: [b], config: {fail: false}}
        """;
    io.alphaflow.core.testkit.VendorTask.CALLS.set(0);
    RunResult r = run(yaml);

    assertThat(io.alphaflow.core.testkit.VendorTask.CALLS.get())
        .as("c never reached the vendor")
        .isEqualTo(2);
    assertThat(byId(r).get("c").error())
        .contains("circuit 'vendor' is open after 2 failures in a row");
    assertThat(store.events(r.runId()))
        .filteredOn(e -> e.type() == EventType.SYSTEM_BREAKER_CHANGED)
        .extracting(Event::message)
        .containsExactly("circuit 'vendor' CLOSED -> OPEN");

    assertThat(
            meters
                .find("resilience4j.circuitbreaker.state")
                .tags("name", "vendor", "state", "open")
                .gauge()
                .value())
        .as("breaker state is a metric")
        .isEqualTo(1.0);

    Thread.sleep(350);
    RunResult later = run(yaml.replace("fail: true", "fail: false"));
    assertThat(later.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(byId(later).get("a").outputs()).containsEntry("quote", "42.0");
    assertThat(store.events(later.runId()))
        .filteredOn(e -> e.type() == EventType.SYSTEM_BREAKER_CHANGED)
        .extracting(Event::message)
        .containsExactly("circuit 'vendor' OPEN -> CLOSED");
  }

  @Test
  void twoRunsRacingOnTheSameCacheKeyDoTheWorkOnce() throws Exception {
    String other = ProcessHandle.current().parent().orElseThrow().pid() + "@" + Owner.self().host();
    Flow flow =
        TestFlows.parse(
            "name: race\ntasks: [{id: slow, type: counting, config: {sleep_ms: 400, value: 7}}]\n");
    io.alphaflow.core.testkit.CountingTask.EXECUTIONS.set(0);
    try (Engine second =
        Engine.builder(store).tasks(TestFlows.registry()).home(home).owner(other).build()) {
      var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        var a = pool.submit(() -> engine.run(flow, Map.of()));
        var b = pool.submit(() -> second.run(flow, Map.of()));
        List<TaskState> states =
            List.of(a.get().tasks().get(0).state(), b.get().tasks().get(0).state());

        assertThat(io.alphaflow.core.testkit.CountingTask.EXECUTIONS.get()).isEqualTo(1);
        assertThat(states).containsExactlyInAnyOrder(TaskState.SUCCEEDED, TaskState.SKIPPED_CACHED);
        assertThat(store.cacheKeyHolder(a.get().tasks().get(0).cacheKey()))
            .as("claim released")
            .isEmpty();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void resumingAfterACrashClearsWhatTheDeadAttemptWrote() throws Exception {
    Flow flow = TestFlows.parse("name: crashed\ntasks: [{id: write, type: flaky}]\n");
    String runId = engine.create(flow, Map.of());
    TaskRunRecord running =
        store.taskRuns(runId).get(0).toBuilder().state(TaskState.QUEUED).build().toBuilder()
            .state(TaskState.RUNNING)
            .attempt(1)
            .startedAt(java.time.Instant.now())
            .build();
    store.commit(new io.alphaflow.core.store.StoreBatch(null, List.of(running), List.of()));
    Path staging = home.resolve("outputs").resolve(runId).resolve("write.staging-1");
    Files.createDirectories(staging);
    Files.writeString(staging.resolve("half.parquet"), "half written");

    RunResult r = engine.resume(runId);

    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(r.tasks().get(0).attempt()).isEqualTo(2);
    assertThat(staging).doesNotExist();
    assertThat(home.resolve("outputs").resolve(runId).resolve("write").resolve("result.txt"))
        .exists();
  }

  /**
   * A crash is the process's, not the task's: on resume an idempotent task runs again even when its
   * retries are used up, and the crashed attempt is not counted. One that is not idempotent may
   * have had its effect already, so the crash counts: with max_attempts 1 it fails, for a person to
   * look before resuming the failed run.
   */
  @Test
  void aCrashedIdempotentTaskRunsAgainOnResumeWhateverItsRetries() {
    Flow flow =
        TestFlows.parse(
            """
            name: crashed
            defaults: {retry: {max_attempts: 1}}
            tasks:
              - {id: safe, type: flaky, cache: true}
              - {id: effect, type: flaky}
            """);
    String runId = engine.create(flow, Map.of());
    List<TaskRunRecord> running =
        store.taskRuns(runId).stream()
            .map(
                t ->
                    t.toBuilder().state(TaskState.QUEUED).build().toBuilder()
                        .state(TaskState.RUNNING)
                        .attempt(1)
                        .startedAt(java.time.Instant.now())
                        .build())
            .toList();
    store.commit(new io.alphaflow.core.store.StoreBatch(null, running, List.of()));

    RunResult r = engine.resume(runId);

    TaskRunRecord safe = byId(r).get("safe");
    assertThat(safe.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(safe.attempt()).isEqualTo(2);
    assertThat(safe.countedAttempts()).isEqualTo(1);
    assertThat(events)
        .anyMatch(
            e ->
                e.type() == EventType.TASK_RETRYING
                    && "safe".equals(e.taskId())
                    && e.message()
                        .contains("not counted against its retries (the task is idempotent)"));
    TaskRunRecord effect = byId(r).get("effect");
    assertThat(effect.state()).isEqualTo(TaskState.FAILED);
    assertThat(effect.error()).contains("the process running attempt 1 died (crash or kill -9)");
  }

  @Test
  void nonRetryableFailureFailsAtOnce() {
    RunResult r =
        run(
            """
            name: nonretry
            tasks:
              - {id: bad, type: flaky, config: {fail_times: 9, non_retryable: true}}
            """);
    TaskRunRecord bad = r.tasks().get(0);
    assertThat(bad.attempt()).isEqualTo(1);
    assertThat(bad.error()).contains("(not retryable)").contains("bad input on attempt 1");
  }

  @Test
  void exitCodesOutsideTheRetryListDoNotRetry() {
    RunResult r =
        run(
            """
            name: codes
            tasks:
              - id: t
                type: flaky
                retry: {max_attempts: 5, base_delay: 1ms, retry_on_exit_codes: [75]}
                config: {fail_times: 9, exit_code: 2}
            """);
    assertThat(r.tasks().get(0).attempt()).isEqualTo(1);
  }

  @Test
  void taskTimeoutKillsTheProcessAndEndsTimedOut() {
    long before = System.nanoTime();
    RunResult r =
        run(
            """
            name: slow
            tasks:
              - id: sleepy
                type: shell
                timeout: 300ms
                retry: {max_attempts: 1}
                config: {command: ["sleep", "30"]}
            """);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
    TaskRunRecord t = r.tasks().get(0);
    assertThat(t.state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(t.error()).contains("timed out after 300ms");
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").equals("sleep 30"))
                .filter(
                    p ->
                        p.parent()
                            .map(pp -> pp.pid() == ProcessHandle.current().pid())
                            .orElse(false))
                .count())
        .isZero();
  }

  @Test
  void timedOutTaskIsRetriedWhenThePolicySaysSo() {
    RunResult r =
        run(
            """
            name: slow_retry
            tasks:
              - id: sleepy
                type: sleep
                timeout: 50ms
                retry: {max_attempts: 2, base_delay: 1ms, retry_on_timeout: true}
                config: {duration: 10s}
            """);
    assertThat(r.tasks().get(0).state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(r.tasks().get(0).attempt()).isEqualTo(2);
  }

  @Test
  void flowTimeoutStopsRunningTasksAndCancelsTheRest() {
    RunResult r =
        run(
            """
            name: flow_timeout
            timeout: 200ms
            tasks:
              - {id: long, type: sleep, config: {duration: 30s}}
              - {id: next, type: noop, depends_on: [long]}
            """);
    Map<String, TaskRunRecord> t = byId(r);
    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(r.error()).startsWith("flow timed out after 200ms");
    assertThat(t.get("long").state()).isEqualTo(TaskState.TIMED_OUT);
    assertThat(t.get("long").attempt()).isEqualTo(1);
    assertThat(t.get("next").state()).isEqualTo(TaskState.CANCELLED);
  }

  @Test
  void triggerRulesDecideWhatRunsAfterAFailure() {
    RunResult r =
        run(
            """
            name: rules
            tasks:
              - {id: ok, type: noop}
              - {id: bad, type: flaky, retry: {max_attempts: 1}, config: {fail_times: 1}}
              - {id: on_failure, type: record, trigger_rule: one_failed, depends_on: [ok, bad]}
              - {id: cleanup, type: record, trigger_rule: all_done, depends_on: [ok, bad]}
              - {id: publish, type: record, depends_on: [ok, bad]}
              - {id: tolerant, type: record, trigger_rule: none_failed, depends_on: [ok, bad]}
              - {id: alert_only_on_failure, type: record, trigger_rule: one_failed, depends_on: [ok]}
              - {id: after_skip, type: record, depends_on: [alert_only_on_failure]}
              - {id: none_failed_after_skip, type: record, trigger_rule: none_failed, depends_on: [alert_only_on_failure]}
            """);
    Map<String, TaskRunRecord> t = byId(r);
    assertThat(t.get("on_failure").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.get("cleanup").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(t.get("publish").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(t.get("tolerant").state()).isEqualTo(TaskState.UPSTREAM_FAILED);
    assertThat(t.get("alert_only_on_failure").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(t.get("after_skip").state()).isEqualTo(TaskState.SKIPPED);
    assertThat(t.get("none_failed_after_skip").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(r.state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void outputsFlowDownstreamThroughTemplates() {
    RunResult r =
        engine.run(
            TestFlows.parse(
                """
                name: outputs
                params: {date: {type: date}}
                tasks:
                  - {id: a, type: record, config: {output: {rows: "42"}}}
                  - id: b
                    type: shell
                    depends_on: [a]
                    config:
                      command: ["sh", "-c", "echo \\"got=$ROWS date=$D run=$R\\" >> \\"$ALPHAFLOW_OUTPUTS\\""]
                      env: {ROWS: "${tasks.a.outputs.rows}", D: "${params.date}", R: "${run.id}"}
                """),
            Map.of("date", "2024-03-01"));
    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(byId(r).get("b").outputs())
        .containsEntry("got", "42 date=2024-03-01 run=" + r.runId());
  }

  /**
   * {@code ${flow.dir}} is the flow file's directory, in config and in a param's default, whatever
   * directory alphaflow runs in; the run keeps the file's absolute path, so a resume finds the
   * same.
   */
  @Test
  void flowDirNamesTheFlowFilesDirectory() throws Exception {
    Path dir = Files.createDirectories(home.resolve("project/flows"));
    Path file = dir.resolve("beside.yaml");
    Files.writeString(
        file,
        """
        name: beside
        params: {data: {type: string, default: "${flow.dir}/data.csv"}}
        tasks:
          - id: a
            type: shell
            config:
              command: ["sh", "-c", "printf 'dir=%s\\ndata=%s\\n' \\"$DIR\\" \\"$DATA\\" >> \\"$ALPHAFLOW_OUTPUTS\\""]
              env: {DIR: "${flow.dir}", DATA: "${params.data}"}
        """);
    // the path as a user types it, through a directory of its own
    Flow flow = engine.loader().load(dir.resolve("../flows/beside.yaml"));
    RunResult r = engine.run(flow, Map.of());
    assertThat(byId(r).get("a").outputs())
        .containsEntry("dir", dir.toString())
        .containsEntry("data", dir.resolve("data.csv").toString());
    assertThat(store.findRun(r.runId()).orElseThrow().flowFile()).isEqualTo(file.toString());
    assertThat(engine.run(flow, Map.of("data", "elsewhere.csv")).tasks().getFirst().outputs())
        .containsEntry("data", "elsewhere.csv");
  }

  @Test
  void missingUpstreamOutputFailsTheReaderWithTheNamesItHad() {
    RunResult r =
        run(
            """
            name: missing_output
            tasks:
              - {id: a, type: record, config: {output: {rows: "1"}}}
              - {id: b, type: shell, depends_on: [a], config: {command: ["echo", "${tasks.a.outputs.path}"]}}
            """);
    assertThat(byId(r).get("b").error())
        .contains("task 'a' published no output 'path' (it published: rows)")
        .contains("(not retryable)");
  }

  @Test
  void aThrowingListenerNeverBreaksARun() {
    engine
        .events()
        .subscribe(
            e -> {
              throw new IllegalStateException("listener bug");
            });
    RunResult r =
        run("name: f\ntasks: [{id: a, type: noop}, {id: b, type: noop, depends_on: [a]}]\n");
    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(events).extracting(Event::type).contains(EventType.WORKFLOW_COMPLETED);
  }

  @Test
  void everyTransitionIsAnEventAndStagesStartAndComplete() {
    RunResult r =
        run(
            """
            name: staged
            stages: [{id: pre_market, tasks: [a, b]}]
            tasks: [{id: a, type: noop}, {id: b, type: noop, depends_on: [a]}, {id: c, type: noop, depends_on: [b]}]
            """);
    assertThat(store.events(r.runId()))
        .extracting(Event::type)
        .containsExactly(
            EventType.WORKFLOW_STARTED,
            EventType.TASK_QUEUED,
            EventType.TASK_STARTED,
            EventType.STAGE_STARTED,
            EventType.TASK_COMPLETED,
            EventType.TASK_QUEUED,
            EventType.TASK_STARTED,
            EventType.TASK_COMPLETED,
            EventType.STAGE_COMPLETED,
            EventType.TASK_QUEUED,
            EventType.TASK_STARTED,
            EventType.TASK_COMPLETED,
            EventType.WORKFLOW_COMPLETED);
  }

  @Test
  void javaTaskRunsATaskClassFoundWithServiceLoader() {
    RunResult r =
        run(
            """
            name: java_task
            tasks:
              - {id: plugin, type: java, config: {class: io.alphaflow.core.testkit.RecordTask, output: {k: v}}}
            """);
    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(r.tasks().get(0).outputs()).containsEntry("k", "v");
  }

  /**
   * An error its type says no retry can change fails the task on its first attempt, under its own
   * type name and run by the java type alike: the flow's retries are not spent on it.
   */
  @Test
  void anErrorNoRetryCanChangeIsNotRetried() {
    RunResult r =
        run(
            """
            name: same
            defaults:
              retry: {max_attempts: 3, base_delay: 10ms}
            tasks:
              - {id: own, type: same_error}
              - {id: plugin, type: java, config: {class: io.alphaflow.core.testkit.SameErrorTask}}
            """);

    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(r.tasks())
        .allSatisfy(
            t -> {
              assertThat(t.attempt()).as(t.taskId()).isOne();
              assertThat(t.error()).contains("the query does not parse");
            });
  }

  /** The class sees its own config, as under its type name: {@code class} is the java type's. */
  @Test
  void aJavaTasksClassSeesItsConfigWithoutClass() {
    RunResult r =
        run(
            """
            name: java_task
            tasks:
              - {id: plugin, type: java, config: {class: io.alphaflow.core.testkit.StrictTask, rows: 3}}
            """);

    assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(r.tasks().get(0).outputs()).containsEntry("keys", "rows");
    assertThatThrownBy(
            () ->
                TestFlows.parse(
                    "name: f\ntasks: [{id: a, type: java, config:"
                        + " {class: io.alphaflow.core.testkit.StrictTask, rowz: 3}}]\n"))
        .hasMessageContaining("strict takes no config key 'rowz'")
        .hasMessageContaining("did you mean 'rows'?")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("'class'"));
  }

  /**
   * A value an upstream output gives is checked by its type when it resolves, as the flow's load
   * checks the values written in it: a bad one fails the task once, before it runs, naming the
   * setting.
   */
  @Test
  void anUpstreamOutputsValueIsCheckedByItsTypeOnceResolved() {
    String yaml =
        """
        name: resolved
        defaults:
          retry: {max_attempts: 3, base_delay: 10ms}
        tasks:
          - {id: count, type: record, config: {output: {n: "%s"}}}
          - {id: plugin, type: java, depends_on: [count], config: {class: io.alphaflow.core.testkit.StrictTask, rows: "${tasks.count.outputs.n}"}}
        """;
    int before = StrictTask.EXECUTIONS.get();

    assertThat(run(yaml.formatted("3")).state()).isEqualTo(RunState.SUCCEEDED);
    RunResult r = run(yaml.formatted("many"));

    assertThat(r.state()).isEqualTo(RunState.FAILED);
    TaskRunRecord t = byId(r).get("plugin");
    assertThat(t.attempt()).isOne();
    assertThat(t.error())
        .contains(
            "its config, with the ${...} values filled in: rows: rows is a whole number, was"
                + " 'many' (rows: 3)");
    assertThat(StrictTask.EXECUTIONS.get() - before).isOne(); // the good run's
  }

  /**
   * A param's value is checked by the types of the tasks that use it before the run is created, all
   * problems at once: a sweep's bad value is refused at the command, not hours in.
   */
  @Test
  void aParamsValueATaskTypeRefusesIsRefusedBeforeTheRunStarts() {
    Flow flow =
        TestFlows.parse(
            """
            name: swept
            params: {n: {type: string, default: "3"}, m: {type: string, default: "4"}}
            tasks:
              - {id: a, type: java, config: {class: io.alphaflow.core.testkit.StrictTask, rows: "${params.n}"}}
              - {id: b, type: java, config: {class: io.alphaflow.core.testkit.StrictTask, rows: "${params.m}"}}
            """);
    assertThatThrownBy(() -> TestFlows.parse(yaml("many")))
        .hasMessageContaining("rows is a whole number, was 'many'");
    int runs = store.recentRuns(100).size();

    assertThatThrownBy(() -> engine.run(flow, Map.of("n", "many", "m", "few")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(
            "task 'a' (java), with the params given: rows: rows is a whole number, was 'many'"
                + " (rows: 3)")
        .hasMessageContaining(
            "task 'b' (java), with the params given: rows: rows is a whole" + " number, was 'few'");
    assertThat(store.recentRuns(100)).hasSize(runs); // no run was made
    assertThat(engine.run(flow, Map.of("n", "5")).state()).isEqualTo(RunState.SUCCEEDED);
  }

  private static String yaml(String rows) {
    return "name: f\ntasks: [{id: a, type: java, config: {class:"
        + " io.alphaflow.core.testkit.StrictTask, rows: "
        + rows
        + "}}]\n";
  }

  /**
   * A java task's cache key holds its class's code version, not the java type's (the engine's): a
   * plugin rebuilt with changed code runs again instead of being served its old result.
   */
  @Test
  void aCachedJavaTaskRunsAgainWhenItsClassesCodeChanges() {
    String flow =
        """
        name: plugin
        tasks:
          - {id: a, type: java, cache: true, config: {class: io.alphaflow.core.testkit.VersionedTask}}
        """;
    VersionedTask.version = "build-1";
    int before = VersionedTask.EXECUTIONS.get();
    try {
      RunResult first = run(flow);
      RunResult same = run(flow);
      VersionedTask.version = "build-2";
      RunResult rebuilt = run(flow);

      assertThat(byId(first).get("a").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(byId(same).get("a").state()).isEqualTo(TaskState.SKIPPED_CACHED);
      assertThat(byId(rebuilt).get("a").state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(byId(rebuilt).get("a").cacheKey()).isNotEqualTo(byId(first).get("a").cacheKey());
      assertThat(VersionedTask.EXECUTIONS.get() - before).isEqualTo(2);
    } finally {
      VersionedTask.version = "1";
    }
  }

  /**
   * A cached shell task's key holds the files its command names: editing the script it runs makes
   * it run again, as editing its command line would.
   */
  @Test
  void aCachedShellTaskRunsAgainWhenTheScriptItRunsChanges() throws Exception {
    Path work = Files.createDirectories(home.resolve("scripts"));
    Path script = Files.writeString(work.resolve("make.sh"), "echo v1 >> runs.txt\n");
    String flow =
        """
        name: scripted
        tasks:
          - {id: a, type: shell, cache: true, config: {command: ["sh", "make.sh"], working_dir: "%s"}}
        """
            .formatted(work);

    RunResult first = run(flow);
    RunResult same = run(flow);
    Files.writeString(script, "echo v2-changed >> runs.txt\n");
    RunResult edited = run(flow);

    assertThat(byId(first).get("a").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(byId(same).get("a").state()).isEqualTo(TaskState.SKIPPED_CACHED);
    assertThat(byId(edited).get("a").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(work.resolve("runs.txt")).hasContent("v1\nv2-changed");
  }

  /** So do a file given as an option's value ({@code --config=file}) and one an env value names. */
  @Test
  void aCachedShellTaskRunsAgainWhenAFileItsOptionsOrEnvNameChanges() throws Exception {
    Path work = Files.createDirectories(home.resolve("opts"));
    Path params = Files.writeString(work.resolve("params.json"), "{\"n\": 1}");
    Path data = Files.writeString(work.resolve("prices.csv"), "close\n1\n");
    String flow =
        """
        name: options
        tasks:
          - id: a
            type: shell
            cache: true
            config:
              command: ["sh", "-c", "echo ran >> runs.txt", "--config=params.json"]
              env: {DATA: prices.csv}
              working_dir: "%s"
        """
            .formatted(work);

    RunResult first = run(flow);
    RunResult same = run(flow);
    Files.writeString(params, "{\"n\": 2}");
    RunResult newParams = run(flow);
    Files.writeString(data, "close\n2\n");
    RunResult newData = run(flow);

    assertThat(byId(first).get("a").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(byId(same).get("a").state()).isEqualTo(TaskState.SKIPPED_CACHED);
    assertThat(byId(newParams).get("a").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(byId(newData).get("a").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(work.resolve("runs.txt")).hasContent("ran\nran\nran");
  }

  /**
   * The class a {@code java} task names answers for it, as its own type would: an idempotent class
   * is cached without {@code cache: true}, and its config is checked when the flow loads.
   */
  @Test
  void aJavaTaskIsCachedAndCheckedAsItsClassSays() {
    String flow =
        """
        name: plugin
        tasks:
          - {id: a, type: java, config: {class: io.alphaflow.core.testkit.VersionedTask}}
          - {id: b, type: java, config: {class: io.alphaflow.core.testkit.FlakyTask}}
        """;
    RunResult first = run(flow);
    RunResult second = run(flow);

    assertThat(byId(second).get("a").state()).isEqualTo(TaskState.SKIPPED_CACHED);
    assertThat(byId(second).get("b").state())
        .isEqualTo(TaskState.SUCCEEDED); // flaky: not idempotent
    assertThat(byId(first).get("b").cacheKey()).isNull();
    assertThatThrownBy(
            () ->
                TestFlows.parse(
                    "name: f\ntasks: [{id: a, type: java, config:"
                        + " {class: io.alphaflow.core.testkit.FlakyTask, fail_times: many}}]\n"))
        .hasMessageContaining("not a count: many");
  }

  @Test
  void javaTaskNamingAnUnregisteredClassIsAValidationError() {
    assertThatThrownBy(
            () ->
                TestFlows.parse(
                    "name: f\ntasks: [{id: a, type: java, config: {class: com.example.Nope}}]\n"))
        .hasMessageContaining("no Task implementation 'com.example.Nope' is registered");
  }

  @Test
  void badParamsAreRefusedBeforeAnythingIsStored() {
    assertThatThrownBy(
            () ->
                engine.run(
                    TestFlows.parse(
                        "name: f\nparams: {n: {type: int}}\ntasks: [{id: a, type: noop}]\n"),
                    Map.of("n", "x")))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store.recentRuns(10)).isEmpty();
  }

  @Test
  void resumingAFailedRunRerunsOnlyWhatDidNotSucceed() {
    RunResult first =
        run(
            """
            name: resume_failed
            tasks:
              - {id: a, type: record}
              - {id: b, type: flaky, retry: {max_attempts: 1}, config: {fail_times: 1}}
              - {id: c, type: record, depends_on: [a, b]}
            """);
    assertThat(first.state()).isEqualTo(RunState.FAILED);

    RunResult second = engine.resume(first.runId());

    assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(RecordTask.starts(first.runId())).containsExactly("a", "c");
    assertThat(byId(second).get("b").attempt()).isEqualTo(2);
    assertThat(store.events(first.runId()))
        .extracting(Event::type)
        .contains(EventType.WORKFLOW_RESUMED);
  }

  @Test
  void aRunOwnedByALiveProcessIsNotResumedUnlessForced() {
    RunResult first =
        run(
            "name: owned\ntasks: [{id: bad, type: flaky, retry: {max_attempts: 1}, config: {fail_times: 1}}]\n");
    String parent = Long.toString(ProcessHandle.current().parent().orElseThrow().pid());
    store.commit(
        new io.alphaflow.core.store.StoreBatch(
            store
                .findRun(first.runId())
                .orElseThrow()
                .withState(RunState.RUNNING, java.time.Instant.now(), null)
                .withOwner(parent + "@" + Owner.self().host(), java.time.Instant.now()),
            List.of(),
            List.of()));

    assertThatThrownBy(() -> engine.resume(first.runId()))
        .isInstanceOf(io.alphaflow.core.ConflictException.class)
        .hasMessageContaining("is being executed by process " + parent)
        .hasMessageContaining("--take-over");
    RunResult forced = engine.resume(first.runId(), true);
    assertThat(forced.state()).isEqualTo(RunState.FAILED); // a crash resume keeps final failures
    assertThat(store.findRun(first.runId()).orElseThrow().owner())
        .isEqualTo(Owner.self().toString());
  }

  @Test
  void cancellingARunStopsItsRunningTaskAndSkipsTheRest() throws Exception {
    var flow =
        TestFlows.parse(
            """
            name: cancel_me
            tasks:
              - {id: long, type: shell, config: {command: ["sleep", "30"]}}
              - {id: next, type: noop, depends_on: [long]}
            """);
    String runId = engine.create(flow, Map.of());
    var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      var result = pool.submit(() -> engine.resume(runId));
      while (store.taskRuns(runId).get(0).state() != TaskState.RUNNING) {
        Thread.sleep(10);
      }
      long started = System.nanoTime();

      assertThat(engine.cancel(runId, "market halted")).isEqualTo(RunState.RUNNING);

      RunResult r = result.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(r.state()).isEqualTo(RunState.CANCELLED);
      assertThat(r.error()).isEqualTo("cancelled: market halted");
      assertThat(r.tasks()).extracting(TaskRunRecord::state).containsOnly(TaskState.CANCELLED);
      assertThat(store.events(runId))
          .extracting(Event::type)
          .contains(EventType.WORKFLOW_CANCELLED);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRunNobodyExecutesIsCancelledAtOnceAndAResumeRunsItAgain() {
    var flow = TestFlows.parse("name: idle\ntasks: [{id: a, type: record}]\n");
    String runId = engine.create(flow, Map.of());

    assertThat(engine.cancel(runId, "not today")).isEqualTo(RunState.CANCELLED);
    assertThatThrownBy(() -> engine.startCreated(runId))
        .hasMessageContaining(
            "was started or cancelled before its background process came up (CANCELLED)");
    assertThat(engine.cancel(runId, "again")).isEqualTo(RunState.CANCELLED);

    assertThat(engine.resume(runId).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(RecordTask.starts(runId)).containsExactly("a");
  }

  @Test
  void settingsFromUpperLayersBeatTheFlowButNotTheTask() {
    try (Engine e =
        Engine.builder(store)
            .tasks(TestFlows.registry())
            .home(home)
            .settings(
                new io.alphaflow.core.settings.Settings(
                    1,
                    null,
                    new io.alphaflow.core.flow.TaskDefaults(
                        new io.alphaflow.core.flow.RetrySpec(
                            2, null, Duration.ofMillis(1), null, null, false, null, null, null),
                        null,
                        null,
                        null),
                    null))
            .build()) {
      RunResult r =
          e.run(
              TestFlows.parse(
                  """
                  name: layers
                  defaults: {retry: {max_attempts: 5, base_delay: 1ms}}
                  tasks:
                    - {id: from_settings, type: flaky, config: {fail_times: 9}}
                    - {id: own, type: flaky, retry: {max_attempts: 3}, config: {fail_times: 9}}
                  """),
              Map.of());
      assertThat(byId(r).get("from_settings").attempt()).isEqualTo(2);
      assertThat(byId(r).get("own").attempt()).isEqualTo(3);
    }
  }
}
