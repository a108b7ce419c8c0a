package io.alphaflow.core.execution;

import io.alphaflow.core.ConflictException;
import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.artifact.Checkpoints;
import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventBus;
import io.alphaflow.core.event.EventType;
import io.alphaflow.core.execution.internal.EngineParts;
import io.alphaflow.core.execution.internal.RunLoop;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.FlowLoader;
import io.alphaflow.core.flow.Params;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import io.alphaflow.core.settings.Settings;
import io.alphaflow.core.store.CancelRequest;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.store.StoreBatch;
import io.alphaflow.core.task.TaskRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Runs flows durably: every state change is committed to the {@link Store} before the engine acts
 * on it, so {@link #resume(String)} can finish a run whose process died at any point. Build one
 * with {@link #builder(Store)}; one engine may run many flows, one run per calling thread.
 */
public final class Engine implements AutoCloseable {
  private static final Duration STALE_AFTER = Duration.ofSeconds(15);

  private final EngineParts parts;
  private final Settings settings;
  private final boolean ownsWorkers;
  private final Random ids = new SecureRandom();
  private final Set<String> active = ConcurrentHashMap.newKeySet();

  private Engine(EngineParts parts, Settings settings, boolean ownsWorkers) {
    this.parts = parts;
    this.settings = settings;
    this.ownsWorkers = ownsWorkers;
  }

  public static Builder builder(Store store) {
    return new Builder(store);
  }

  public Store store() {
    return parts.store();
  }

  public EventBus events() {
    return parts.events();
  }

  public TaskRegistry tasks() {
    return parts.tasks();
  }

  /** Queued and finished copies of artifacts to object storage. */
  public io.alphaflow.core.backup.Backups backups() {
    return parts.backups();
  }

  public FlowLoader loader() {
    return new FlowLoader(parts.tasks());
  }

  /** Stores a new run of {@code flow} with checked params; nothing runs until {@link #resume}. */
  public String create(Flow flow, Map<String, String> params) {
    Map<String, String> resolved = Params.resolve(flow, params);
    List<String> refused = Params.taskProblems(flow, resolved, parts.tasks());
    if (!refused.isEmpty()) {
      throw new InvalidInputException(String.join("\n", refused));
    }
    Instant now = parts.clock().instant();
    String runId = RunIds.next(now, ids);
    RunRecord run =
        // the file's absolute path: a resume from another directory finds ${flow.dir} the same
        RunRecord.created(
            runId,
            flow.name(),
            flow.path() == null ? null : flow.path().toString(),
            flow.source(),
            resolved,
            now);
    List<TaskRunRecord> tasks =
        flow.tasks().stream().map(t -> TaskRunRecord.pending(runId, t.id())).toList();
    parts.store().createRun(run, tasks, List.of());
    return runId;
  }

  /** Runs {@code flow} to the end on the calling thread. */
  public RunResult run(Flow flow, Map<String, String> params) {
    return run(flow, params, CachePolicy.USE);
  }

  /** Runs {@code flow} to the end on the calling thread, reusing cached results as allowed. */
  public RunResult run(Flow flow, Map<String, String> params, CachePolicy cache) {
    String runId = create(flow, params);
    return execute(flow, runId, false, false, cache);
  }

  /**
   * Continues a run whose process stopped: succeeded tasks stay done, tasks that were running start
   * a new attempt (counted against their retries), and a run that had failed retries its failed
   * tasks with a fresh retry budget. Refuses a run another live process is executing.
   */
  public RunResult resume(String runId) {
    return resume(runId, false);
  }

  /**
   * As {@link #resume(String)}; with {@code takeOver}, resumes even if the recorded owner looks
   * alive (a reused pid, a host whose clock is off). The claim itself stays atomic.
   */
  public RunResult resume(String runId, boolean takeOver) {
    return resume(runId, takeOver, CachePolicy.USE);
  }

  /** As {@link #resume(String, boolean)}, with a cache policy for the tasks that run again. */
  public RunResult resume(String runId, boolean takeOver, CachePolicy cache) {
    RunRecord run = parts.store().findRun(runId).orElseThrow(() -> NotFoundException.run(runId));
    if (run.state() == RunState.SUCCEEDED) {
      return new RunResult(runId, run.state(), run.error(), parts.store().taskRuns(runId));
    }
    Flow flow = flowOf(run);
    parts.store().clearCancelRequest(runId);
    return execute(flow, runId, takeOver, false, cache);
  }

  /**
   * Executes a run stored by {@link #create} that nobody has started yet (a detached run's
   * background process). Refuses one that was cancelled or started meanwhile.
   */
  public RunResult startCreated(String runId) {
    return startCreated(runId, CachePolicy.USE);
  }

  /** As {@link #startCreated(String)}, with a cache policy. */
  public RunResult startCreated(String runId, CachePolicy cache) {
    RunRecord run = parts.store().findRun(runId).orElseThrow(() -> NotFoundException.run(runId));
    if (run.owner() != null || run.state() != RunState.RUNNING) {
      throw new ConflictException(
          "run "
              + runId
              + " was started or cancelled before its background process came up ("
              + run.state()
              + ")");
    }
    return execute(flowOf(run), runId, false, true, cache);
  }

  /**
   * Runs one task of a run again (seed 003's runbook), and with {@code downstream} every task that
   * depends on it: checks that every upstream checkpoint still exists and matches its hash (else
   * says which is missing and stops), clears the task's outputs, and recomputes it.
   */
  public RunResult rerun(String runId, String taskId, boolean downstream) {
    RunRecord run = parts.store().findRun(runId).orElseThrow(() -> NotFoundException.run(runId));
    Flow flow = flowOf(run);
    Map<String, List<String>> deps = new java.util.LinkedHashMap<>();
    flow.tasks().forEach(t -> deps.put(t.id(), t.dependsOn()));
    io.alphaflow.core.dag.Dag dag = io.alphaflow.core.dag.Dag.of(deps);
    if (!deps.containsKey(taskId)) {
      throw NotFoundException.task(runId, taskId);
    }
    Map<String, TaskRunRecord> records = new java.util.LinkedHashMap<>();
    parts.store().taskRuns(runId).forEach(t -> records.put(t.taskId(), t));
    for (String up : dag.ancestorsOf(taskId)) {
      TaskRunRecord u = records.get(up);
      if (u.state() != TaskState.SUCCEEDED && u.state() != TaskState.SKIPPED_CACHED) {
        throw new ConflictException(
            "upstream task '"
                + up
                + "' of '"
                + taskId
                + "' is "
                + u.state()
                + ", so '"
                + taskId
                + "' cannot run: 'alphaflow resume "
                + runId
                + "' runs what did not succeed");
      }
      if (u.artifact() != null) {
        String dir =
            parts
                .store()
                .artifactOf(u.runId(), up)
                .or(() -> parts.store().findArtifact(u.artifact()))
                .map(Artifact::path)
                .orElse(null);
        if (dir == null || !Checkpoints.isComplete(Path.of(dir), u.artifact())) {
          throw new ConflictException(
              "the checkpoint of upstream task '"
                  + up
                  + "' is missing or changed ("
                  + dir
                  + "): rerun it first, 'alphaflow rerun "
                  + runId
                  + " "
                  + up
                  + " --downstream'");
        }
      }
    }
    java.util.Set<String> targets = new java.util.LinkedHashSet<>(List.of(taskId));
    if (downstream) {
      java.util.Deque<String> todo = new java.util.ArrayDeque<>(dag.downstreamOf(taskId));
      while (!todo.isEmpty()) {
        String d = todo.pop();
        if (targets.add(d)) {
          todo.addAll(dag.downstreamOf(d));
        }
      }
    }
    Instant now = parts.clock().instant();
    List<TaskRunRecord> reset = new java.util.ArrayList<>();
    for (String t : targets) {
      Checkpoints.clear(parts.outputDir(runId, t));
      TaskRunRecord r = records.get(t);
      reset.add(
          r.state() == TaskState.PENDING
              ? r
              : r.toBuilder()
                  .state(TaskState.PENDING)
                  .attemptFloor(r.attempt())
                  .error(null)
                  .exitCode(null)
                  .endedAt(null)
                  .outputs(Map.of())
                  .artifact(null)
                  .build());
    }
    String why = "rerun of " + String.join(", ", targets);
    parts
        .store()
        .commit(
            new StoreBatch(
                run.withState(RunState.RUNNING, now, null),
                reset,
                List.of(new Event(runId, EventType.WORKFLOW_RESUMED, taskId, 0, now, why))));
    parts.store().clearCancelRequest(runId);
    return execute(flow, runId, false, false, new CachePolicy(false, targets));
  }

  /**
   * Records a person's decision on a task waiting for approval. The first decision stands; one made
   * after the request's timeout is refused (the timeout rejected it). A process executing the run
   * acts on it within a moment; a parked run ({@link RunState#WAITING}) continues when resumed.
   * Returns the decision that stands.
   */
  public Approval decide(
      String runId, String taskId, Decision decision, String by, String comment) {
    RunRecord run = parts.store().findRun(runId).orElseThrow(() -> NotFoundException.run(runId));
    TaskRunRecord task =
        parts.store().taskRuns(runId).stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow(() -> NotFoundException.task(runId, taskId));
    Instant now = parts.clock().instant();
    java.util.Optional<Approval> earlier = parts.store().approval(runId, taskId);
    if (earlier.isPresent()) {
      throw new ConflictException(
          "task '" + taskId + "' of run " + runId + " was already " + earlier.get().describe());
    }
    if (task.state() != TaskState.AWAITING_APPROVAL) {
      throw new ConflictException(
          "task '"
              + taskId
              + "' of run "
              + runId
              + " is not waiting for approval (it is "
              + task.state()
              + (run.state().isTerminal() ? "; the run is " + run.state() : "")
              + ")");
    }
    if (task.nextAttemptAt() != null && !now.isBefore(task.nextAttemptAt())) {
      parts
          .store()
          .decide(
              new Approval(
                  runId,
                  taskId,
                  Decision.REJECTED,
                  "timeout",
                  "no decision before " + task.nextAttemptAt(),
                  now));
      throw new ConflictException(
          "the approval request for task '"
              + taskId
              + "' expired at "
              + task.nextAttemptAt()
              + ", so it was rejected; resume the run to let it fail, or start a new run");
    }
    Approval mine = new Approval(runId, taskId, decision, by, comment, now);
    if (!parts.store().decide(mine)) {
      throw new ConflictException(
          "task '"
              + taskId
              + "' of run "
              + runId
              + " was decided meanwhile: "
              + parts.store().approval(runId, taskId).map(Approval::describe).orElse("?"));
    }
    return mine;
  }

  /**
   * Asks a run to stop: its running attempts are cancelled (their processes killed) and nothing
   * else starts; the run ends CANCELLED. A run no live process is executing is marked at once.
   * Returns the run's state after the request (unchanged for a run that had already ended).
   */
  public RunState cancel(String runId, String reason) {
    RunRecord run = parts.store().findRun(runId).orElseThrow(() -> NotFoundException.run(runId));
    if (run.state().isTerminal()) {
      return run.state();
    }
    Instant now = parts.clock().instant();
    parts.store().requestCancel(runId, new CancelRequest(reason, now));
    boolean live =
        active.contains(runId)
            || (run.owner() != null
                && !run.owner().equals(parts.owner())
                && Owner.parse(run.owner()).mayBeAlive(run.heartbeatAt(), now, STALE_AFTER));
    if (live) {
      return RunState.RUNNING;
    }
    String why = "cancelled: " + (reason == null || reason.isBlank() ? "cancelled" : reason);
    List<TaskRunRecord> tasks = new java.util.ArrayList<>();
    List<Event> events = new java.util.ArrayList<>();
    for (TaskRunRecord t : parts.store().taskRuns(runId)) {
      if (!t.state().isTerminal()) {
        tasks.add(t.toBuilder().state(TaskState.CANCELLED).endedAt(now).error(why).build());
        events.add(new Event(runId, EventType.TASK_CANCELLED, t.taskId(), t.attempt(), now, why));
      }
    }
    events.add(new Event(runId, EventType.WORKFLOW_CANCELLED, null, 0, now, why));
    parts
        .store()
        .commit(new StoreBatch(run.withState(RunState.CANCELLED, now, why), tasks, events));
    return RunState.CANCELLED;
  }

  private Flow flowOf(RunRecord run) {
    if (run.flowSource() == null) {
      throw new ConflictException(
          "run " + run.runId() + " has no stored flow definition, so it cannot be resumed");
    }
    return loader()
        .parse(run.flowFile() == null ? run.flowName() : run.flowFile(), run.flowSource());
  }

  private RunResult execute(
      Flow flow, String runId, boolean takeOver, boolean mustBeFresh, CachePolicy cache) {
    if (!active.add(runId)) {
      throw new ConflictException("run " + runId + " is already executing in this process");
    }
    try {
      RunRecord run = parts.store().findRun(runId).orElseThrow(() -> NotFoundException.run(runId));
      if (!takeOver) {
        checkNotOwnedElsewhere(run);
      }
      if (!parts.store().claimRun(runId, run.owner(), parts.owner(), parts.clock().instant())) {
        throw new ConflictException(
            "run "
                + runId
                + " was just claimed by another process; see 'alphaflow status "
                + runId
                + "'");
      }
      run = parts.store().findRun(runId).orElseThrow();
      if (mustBeFresh && run.state() != RunState.RUNNING) {
        throw new ConflictException("run " + runId + " was cancelled before it started");
      }
      return new RunLoop(parts, flow, settings, run, parts.store().taskRuns(runId), cache)
          .execute();
    } finally {
      active.remove(runId);
    }
  }

  private void checkNotOwnedElsewhere(RunRecord run) {
    if (run.owner() == null || run.state().isTerminal() || run.owner().equals(parts.owner())) {
      return;
    }
    Owner owner = Owner.parse(run.owner());
    if (owner.mayBeAlive(run.heartbeatAt(), parts.clock().instant(), STALE_AFTER)) {
      throw new ConflictException(
          "run "
              + run.runId()
              + " is being executed by process "
              + owner
              + " (last heartbeat "
              + run.heartbeatAt()
              + "); wait for it to end, or stop that process first (resume --take-over takes the run"
              + " over if you are sure it is gone)");
    }
  }

  @Override
  public void close() {
    if (ownsWorkers) {
      parts.workers().shutdownNow();
    }
  }

  /** Configures an {@link Engine}; everything but the store has a default. */
  public static final class Builder {
    private final Store store;
    private TaskRegistry tasks;
    private EventBus events = new EventBus();
    private InstantSource clock = InstantSource.system();
    private ExecutorService workers;
    private Path home = Path.of(".alphaflow");
    private Settings settings = Settings.EMPTY;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private Duration heartbeat = Duration.ofSeconds(5);
    private String owner = Owner.self().toString();
    private io.alphaflow.core.model.ModelRegistry models;
    private io.micrometer.core.instrument.MeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    private Builder(Store store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    public Builder tasks(TaskRegistry t) {
      tasks = t;
      return this;
    }

    public Builder events(EventBus e) {
      events = e;
      return this;
    }

    public Builder clock(InstantSource c) {
      clock = c;
      return this;
    }

    /** Where task attempts run; by default one virtual thread per attempt. */
    public Builder workers(ExecutorService w) {
      workers = w;
      return this;
    }

    /** The state directory ({@code .alphaflow}): logs and outputs go under it. */
    public Builder home(Path h) {
      home = h;
      return this;
    }

    /** Settings from the layers above the flow (alphaflow.yaml, environment, flags). */
    public Builder settings(Settings s) {
      settings = s;
      return this;
    }

    /** Source of jitter for retry delays, in [0, 1). */
    public Builder random(DoubleSupplier r) {
      random = r;
      return this;
    }

    public Builder heartbeat(Duration d) {
      heartbeat = d;
      return this;
    }

    public Builder owner(String o) {
      owner = o;
      return this;
    }

    /**
     * The model registry tasks register, promote and score with: by default the one in this
     * engine's store and home.
     */
    public Builder models(io.alphaflow.core.model.ModelRegistry m) {
      models = m;
      return this;
    }

    /** Where engine metrics go (breaker states and calls); an in-memory registry by default. */
    public Builder meters(io.micrometer.core.instrument.MeterRegistry m) {
      meters = m;
      return this;
    }

    public Engine build() {
      ContentHash.rememberIn(home);
      boolean own = workers == null;
      ExecutorService w =
          own
              ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("task-", 0).factory())
              : workers;
      io.alphaflow.core.resilience.Breakers breakers =
          new io.alphaflow.core.resilience.Breakers(meters);
      return new Engine(
          new EngineParts(
              store,
              tasks == null ? TaskRegistry.loadDefault() : tasks,
              events,
              clock,
              w,
              home,
              owner,
              random,
              heartbeat,
              breakers,
              new io.alphaflow.core.backup.Backups(
                  store, breakers, clock, Thread.currentThread().getContextClassLoader()),
              models != null
                  ? models
                  : new io.alphaflow.core.model.ModelRegistry(store, home, clock)),
          settings,
          own);
    }
  }
}
