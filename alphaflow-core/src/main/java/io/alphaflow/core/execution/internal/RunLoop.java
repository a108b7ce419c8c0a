package io.alphaflow.core.execution.internal;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.artifact.Checkpoints;
import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.backup.BackupItem;
import io.alphaflow.core.dag.Dag;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventType;
import io.alphaflow.core.execution.CachePolicy;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.flow.ApprovalSpec;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.flow.Templates;
import io.alphaflow.core.retry.Failure;
import io.alphaflow.core.retry.FailureKind;
import io.alphaflow.core.retry.RetryPolicy;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import io.alphaflow.core.settings.Settings;
import io.alphaflow.core.task.Cancellation;
import io.alphaflow.core.task.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Executes one run. A single thread owns all state; workers only report completions through a
 * queue. Each turn of the loop gathers state changes into one batch, commits it, and only then acts
 * on it (starts attempts, tells listeners), so the store is never behind what happened.
 */
public final class RunLoop {
  private final EngineParts parts;
  private final Flow flow;
  private final Map<String, TaskSpec> specs = new LinkedHashMap<>();
  private final Map<String, RetryPolicy> policies = new HashMap<>();
  private final Dag dag;
  private final int maxConcurrent;
  private final Duration flowTimeout;
  private final Map<String, TaskRunRecord> records = new HashMap<>();
  private final PriorityQueue<Ready> ready =
      new PriorityQueue<>(Comparator.comparingInt(Ready::priority).thenComparingLong(Ready::seq));
  private final PriorityQueue<Timer> retries = new PriorityQueue<>(Comparator.comparing(Timer::at));
  private final Map<String, Running> running = new HashMap<>();
  private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private final Deque<String> settled = new ArrayDeque<>();
  private final Set<String> startedStages = new HashSet<>();

  /** Tasks in AWAITING_APPROVAL, with the moment their request expires (null: never). */
  private final Map<String, Instant> awaiting = new LinkedHashMap<>();

  private final TurnBatch batch;
  private final Map<String, TaskAttempt.Cache> attemptCaches = new HashMap<>();
  private boolean backupsQueued;
  private final java.util.Queue<Event> sideEvents =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final CachePolicy cachePolicy;
  private final TemplateValues values;
  private RunRecord run;
  private long readySeq;
  private int terminal;
  private Instant flowDeadline;
  private Instant nextHeartbeat;
  private Completion woke;
  private String stopReason;
  private String cancelReason;
  private Instant nextControlPoll;

  private static final Duration CONTROL_POLL = Duration.ofMillis(250);
  private static final Duration CLAIM_POLL = Duration.ofMillis(100);

  /** How long a run waits for another process on another host to compute the same key. */
  private static final Duration CLAIM_PATIENCE = Duration.ofMinutes(10);

  private record Ready(int priority, long seq, String taskId) {}

  private record Timer(Instant at, String taskId, int attempt) {}

  private record Running(
      int attempt, Instant deadline, Cancellation cancellation, Future<?> future) {}

  public RunLoop(
      EngineParts parts,
      Flow flow,
      Settings settings,
      RunRecord run,
      List<TaskRunRecord> taskRuns,
      CachePolicy cachePolicy) {
    this.parts = parts;
    this.cachePolicy = cachePolicy;
    this.flow = flow;
    this.run = run;
    Settings effective = settings.over(Settings.of(flow));
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (TaskSpec t : flow.tasks()) {
      TaskSpec e = t.effective(effective.taskDefaults());
      specs.put(t.id(), e);
      policies.put(t.id(), e.retry().toPolicy());
      deps.put(t.id(), t.dependsOn());
    }
    this.dag = Dag.of(deps);
    this.maxConcurrent = effective.effectiveMaxConcurrentTasks();
    this.flowTimeout = effective.workflowTimeout();
    taskRuns.forEach(r -> records.put(r.taskId(), r));
    this.batch = new TurnBatch(parts.store(), parts.events());
    this.values = new TemplateValues(parts, run.runId(), flow, run.params());
  }

  /** Runs until every task has ended; returns the run's outcome. */
  public RunResult execute() {
    Instant now = parts.clock().instant();
    nextControlPoll = now;
    boolean resumed = prepare(now);
    run = run.withState(RunState.RUNNING, now, null).withOwner(parts.owner(), now);
    batch.run(run);
    event(
        resumed ? EventType.WORKFLOW_RESUMED : EventType.WORKFLOW_STARTED,
        null,
        0,
        resumed
            ? "resumed by " + parts.owner()
            : "started by " + parts.owner() + ", " + specs.size() + " tasks");
    flowDeadline = flowTimeout == null ? null : now.plus(flowTimeout);
    nextHeartbeat = now.plus(parts.heartbeatInterval());
    for (String id : dag.topologicalOrder()) {
      if (records.get(id).state() == TaskState.PENDING) {
        evaluate(id, now);
      }
    }
    drainSettled(now);
    while (true) {
      now = parts.clock().instant();
      List<Completion> arrived = new ArrayList<>();
      if (woke != null) {
        arrived.add(woke);
        woke = null;
      }
      completions.drainTo(arrived);
      for (Completion c : arrived) {
        complete(c, now);
      }
      expireTimeouts(now);
      fireRetries(now);
      if (flowDeadline != null && !now.isBefore(flowDeadline)) {
        timeOutFlow(now);
      }
      if (!now.isBefore(nextControlPoll)) {
        pollControl(now);
      }
      if (!now.isBefore(nextHeartbeat)) {
        run = run.withOwner(parts.owner(), now);
        batch.run(run);
        nextHeartbeat = now.plus(parts.heartbeatInterval());
      }
      for (Event e; (e = sideEvents.poll()) != null; ) {
        batch.event(e);
      }
      drainSettled(now);
      dispatch(now);
      if (parkable()) {
        checkApprovals(now);
        drainSettled(now);
        dispatch(now);
      }
      if (parkable()) {
        park(now);
        batch.flush();
        return result();
      }
      if (terminal == specs.size()) {
        finish(now);
        batch.flush();
        if (backupsQueued) {
          parts
              .backups()
              .flush(); // failures stay queued and raise alerts; the run's outcome stands
        }
        return result();
      }
      batch.flush();
      waitForWork(now);
    }
  }

  /** Normalizes records a previous process left behind; true if this is a resume. */
  private boolean prepare(Instant now) {
    boolean resumed = false;
    boolean retryFailures = run.state() == RunState.FAILED || run.state() == RunState.CANCELLED;
    for (String id : dag.topologicalOrder()) {
      TaskRunRecord r = records.get(id);
      if (r.state() != TaskState.PENDING || r.attempt() > 0) {
        resumed = true;
      }
      switch (r.state()) {
        case RUNNING -> {
          // whatever the dead attempt wrote is incomplete: the next attempt starts clean
          Checkpoints.clear(parts.outputDir(run.runId(), id));
          Failure died =
              Failure.interrupted(
                  "the process running attempt " + r.attempt() + " died (crash or kill -9)");
          // the crash was the process's, not the task's: an idempotent task runs again, the dead
          // attempt not counted against its retries; any other may have had its effect already
          boolean forgiven = idempotent(specs.get(id));
          if (forgiven || policies.get(id).retries(died, r.countedAttempts())) {
            update(
                r.toBuilder()
                    .state(TaskState.PENDING)
                    .attemptFloor(r.attemptFloor() + (forgiven ? 1 : 0))
                    .error(died.message())
                    .build());
            event(
                EventType.TASK_RETRYING,
                id,
                r.attempt(),
                died.message()
                    + "; retrying as attempt "
                    + (r.attempt() + 1)
                    + (forgiven
                        ? ", not counted against its retries (the task is idempotent)"
                        : ""));
          } else {
            fail(r, died, now);
          }
        }
        case QUEUED -> update(r.toBuilder().state(TaskState.PENDING).build());
        case RETRYING -> retries.add(new Timer(r.nextAttemptAt(), id, r.attempt()));
        case FAILED, TIMED_OUT, UPSTREAM_FAILED, CANCELLED, SKIPPED -> {
          if (retryFailures) {
            update(
                r.toBuilder()
                    .state(TaskState.PENDING)
                    .attemptFloor(r.attempt())
                    .error(null)
                    .exitCode(null)
                    .endedAt(null)
                    .build());
          } else {
            terminal++;
          }
        }
        case SUCCEEDED -> {
          terminal++;
          values.succeeded(id, r.outputs(), null);
        }
        case SKIPPED_CACHED -> {
          terminal++;
          values.succeeded(id, r.outputs(), reusableDir(r));
        }
        case AWAITING_APPROVAL -> awaiting.put(id, r.nextAttemptAt());
        case PENDING -> {}
      }
    }
    return resumed;
  }

  private void evaluate(String id, Instant now) {
    List<TaskState> upstream = new ArrayList<>();
    for (String u : dag.upstreamOf(id)) {
      upstream.add(records.get(u).state());
    }
    TaskSpec spec = specs.get(id);
    switch (TriggerRules.decide(spec.triggerRule(), upstream)) {
      case WAIT -> {}
      case RUN -> {
        if (needsApproval(id)) {
          await(id, now);
        } else {
          queue(id, records.get(id), now);
        }
      }
      case SKIP -> {
        update(records.get(id).toBuilder().state(TaskState.SKIPPED).endedAt(now).build());
        event(
            EventType.TASK_SKIPPED,
            id,
            0,
            "skipped by trigger rule "
                + spec.triggerRule().yamlName()
                + " ("
                + upstreamSummary(id)
                + ")");
        settle(id);
      }
      case UPSTREAM_FAILED -> {
        String why = "upstream failed: " + upstreamSummary(id);
        update(
            records.get(id).toBuilder()
                .state(TaskState.UPSTREAM_FAILED)
                .endedAt(now)
                .error(why)
                .build());
        event(EventType.TASK_UPSTREAM_FAILED, id, 0, why);
        settle(id);
      }
    }
  }

  /** Whether the task must wait for a person: its approval applies and nobody decided yet. */
  private boolean needsApproval(String id) {
    ApprovalSpec approval = specs.get(id).approval();
    if (approval == null) {
      return false;
    }
    if (approval.requiredIf() != null) {
      String value =
          Templates.resolveString(
              approval.requiredIf(), expr -> values.value(expr, id, records.get(id).attempt()));
      if (!value.trim().equalsIgnoreCase("true")) {
        return false;
      }
    }
    return parts
        .store()
        .approval(run.runId(), id)
        .map(a -> a.decision() != Decision.APPROVED)
        .orElse(true);
  }

  private void await(String id, Instant now) {
    ApprovalSpec approval = specs.get(id).approval();
    Instant deadline = approval.timeout() == null ? null : now.plus(approval.timeout());
    String why =
        approval.requiredIf() == null
            ? "approval required"
            : "approval required because " + approval.requiredIf() + " is true";
    String subject = approvalSubject(id, approval);
    update(
        records.get(id).toBuilder()
            .state(TaskState.AWAITING_APPROVAL)
            .nextAttemptAt(deadline)
            .error(subject == null ? why : why + ": " + subject)
            .build());
    awaiting.put(id, deadline);
    event(
        EventType.TASK_AWAITING_APPROVAL,
        id,
        0,
        "waiting for approval ("
            + why
            + (deadline == null
                ? ")"
                : "; rejected unless decided within "
                    + Durations.format(approval.timeout())
                    + ", by "
                    + deadline.truncatedTo(ChronoUnit.SECONDS)
                    + ")")
            + (subject == null ? "" : ": " + subject));
  }

  /**
   * What the request tells the person deciding: the flow's {@code message} for them, then what
   * approving task {@code id} would do, as its type says ({@link
   * io.alphaflow.core.task.Task#approvalSubject}), or why that cannot be said, since the task would
   * then most likely fail once approved too. Null when neither says anything.
   */
  private String approvalSubject(String id, ApprovalSpec approval) {
    TaskSpec spec = specs.get(id);
    int attempt = records.get(id).attempt();
    List<String> said = new ArrayList<>();
    if (approval.message() != null) {
      try {
        said.add(Templates.resolveString(approval.message(), e -> values.value(e, id, attempt)));
      } catch (RuntimeException e) {
        said.add(approval.message() + " (" + e.getMessage() + ")"); // as written, and why
      }
    }
    try {
      Map<String, Object> config = resolved(spec, attempt);
      Task task = parts.tasks().get(spec.type());
      String broken = templated(spec) ? TaskAttempt.resolvedProblems(task.validate(config)) : null;
      if (broken != null) {
        // the attempt would fail at once, approved or not
        said.add("approving cannot work: " + broken);
        return String.join("; ", said);
      }
      String subject = task.approvalSubject(config, parts.models());
      if (subject != null) {
        said.add(subject);
      }
    } catch (Exception e) {
      said.add(
          "cannot say what approving does: "
              + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
    }
    return said.isEmpty() ? null : String.join("; ", said);
  }

  /** Acts on decisions made meanwhile (by another process), and rejects expired requests. */
  private void checkApprovals(Instant now) {
    for (String id : new ArrayList<>(awaiting.keySet())) {
      Approval decided = parts.store().approval(run.runId(), id).orElse(null);
      Instant deadline = awaiting.get(id);
      if (decided == null && deadline != null && !now.isBefore(deadline)) {
        parts
            .store()
            .decide(
                new Approval(
                    run.runId(),
                    id,
                    Decision.REJECTED,
                    "timeout",
                    "no decision within " + Durations.format(specs.get(id).approval().timeout()),
                    now));
        decided = parts.store().approval(run.runId(), id).orElse(null);
      }
      if (decided == null) {
        continue;
      }
      awaiting.remove(id);
      TaskRunRecord r = records.get(id);
      if (decided.decision() == Decision.APPROVED) {
        event(EventType.TASK_APPROVED, id, 0, decided.describe());
        queue(id, r.toBuilder().error(null).nextAttemptAt(null).build(), now);
      } else {
        event(EventType.TASK_REJECTED, id, 0, decided.describe());
        fail(r, new Failure(FailureKind.ERROR, decided.describe(), null, true), now);
      }
    }
  }

  /** Nothing can move until somebody decides: no attempt runs, is queued or waits to retry. */
  private boolean parkable() {
    return !awaiting.isEmpty() && running.isEmpty() && ready.isEmpty() && retries.isEmpty();
  }

  /** Stops here without holding a thread: the run waits in the store for a decision. */
  private void park(Instant now) {
    run = run.withState(RunState.WAITING, now, null).withOwner(null, now);
    batch.run(run);
    event(
        EventType.WORKFLOW_WAITING,
        null,
        0,
        "waiting for approval of "
            + String.join(", ", awaiting.keySet())
            + "; the run continues when a decision is made");
  }

  private String upstreamSummary(String id) {
    return dag.upstreamOf(id).stream()
        .map(u -> u + " " + records.get(u).state())
        .collect(Collectors.joining(", "));
  }

  private void queue(String id, TaskRunRecord r, Instant now) {
    update(r.toBuilder().state(TaskState.QUEUED).nextAttemptAt(null).build());
    event(EventType.TASK_QUEUED, id, r.attempt() + 1, "");
    ready.add(new Ready(specs.get(id).priority().ordinal(), readySeq++, id));
  }

  private void dispatch(Instant now) {
    while (running.size() < maxConcurrent && !ready.isEmpty()) {
      String id = ready.poll().taskId();
      TaskRunRecord r = records.get(id);
      int attempt = r.attempt() + 1;
      update(
          r.toBuilder()
              .state(TaskState.RUNNING)
              .attempt(attempt)
              .startedAt(now)
              .endedAt(null)
              .exitCode(null)
              .error(null)
              .build());
      TaskSpec spec = specs.get(id);
      event(
          EventType.TASK_STARTED,
          id,
          attempt,
          "attempt " + attempt + " of " + (policies.get(id).maxAttempts() + r.attemptFloor()));
      startStage(id);
      Cancellation cancellation = new Cancellation();
      Instant deadline = spec.timeout() == null ? null : now.plus(spec.timeout());
      Running slot = new Running(attempt, deadline, cancellation, null);
      running.put(id, slot);
      batch.afterCommit(() -> start(id, spec, attempt, cancellation, deadline));
    }
  }

  private void start(
      String id, TaskSpec spec, int attempt, Cancellation cancellation, Instant deadline) {
    TaskAttempt.Cache cache = cacheFor(spec);
    if (cache != null) {
      attemptCaches.put(id + "#" + attempt, cache);
    }
    TaskAttempt work =
        new TaskAttempt(
            parts.tasks().get(spec.type()),
            id,
            attempt,
            () -> context(spec, attempt, cancellation),
            parts.outputDir(run.runId(), id),
            cache,
            templated(spec),
            completions::add);
    Future<?> future = parts.workers().submit(work);
    running.computeIfPresent(
        id,
        (k, s) ->
            s.attempt() == attempt ? new Running(attempt, deadline, cancellation, future) : s);
  }

  /**
   * Whether {@code spec}'s config holds {@code ${...}} references its type can check only once they
   * are filled in: any but the run's params, which {@link
   * io.alphaflow.core.flow.Params#taskProblems} checked before the run was created.
   */
  private static boolean templated(TaskSpec spec) {
    return Templates.references(spec.config()).stream()
        .anyMatch(r -> !r.expression().startsWith(io.alphaflow.core.flow.Params.PREFIX));
  }

  /** {@code spec}'s config with its references filled in, as attempt {@code attempt} gets it. */
  private Map<String, Object> resolved(TaskSpec spec, int attempt) {
    return Templates.resolve(spec.config(), expr -> values.value(expr, spec.id(), attempt));
  }

  private AttemptContext context(TaskSpec spec, int attempt, Cancellation cancellation) {
    String id = spec.id();
    Map<String, Object> config = resolved(spec, attempt);
    return new AttemptContext(
        run.runId(),
        flow.name(),
        id,
        attempt,
        config,
        run.params(),
        new FileTaskLog(
            parts.logDir(run.runId(), id).resolve("attempt-" + attempt + ".log"), parts.clock()),
        parts.outputDir(run.runId(), id).resolveSibling(id + ".staging-" + attempt),
        cancellation,
        parts
            .breakers()
            .forAttempt(
                flow.resources(),
                (resource, change) ->
                    sideEvents.add(
                        new Event(
                            run.runId(),
                            EventType.SYSTEM_BREAKER_CHANGED,
                            id,
                            attempt,
                            parts.clock().instant(),
                            "circuit '" + resource + "' " + change))),
        parts.models());
  }

  private void complete(Completion c, Instant now) {
    TaskAttempt.Cache cache = attemptCaches.remove(c.taskId() + "#" + c.attempt());
    if (cache != null && c.cacheKey() != null) {
      // after the outcome is committed, so a run waiting on the key finds the result
      batch.afterCommit(() -> cache.release(c.cacheKey()));
    }
    Running slot = running.get(c.taskId());
    if (slot == null || slot.attempt() != c.attempt()) {
      return; // an attempt we already gave up on (timed out, cancelled)
    }
    running.remove(c.taskId());
    TaskRunRecord r = records.get(c.taskId());
    if (c.succeeded()) {
      if (c.hit() != null) {
        reuse(r, c, now);
        return;
      }
      values.succeeded(c.taskId(), c.outputs(), null);
      String hash = c.files() == null ? null : c.files().hash();
      if (hash != null) {
        batch.artifact(artifactOf(c.taskId(), c.files(), now));
        String target = specs.get(c.taskId()).backup();
        if (target != null) {
          batch.backup(new BackupItem(run.runId(), c.taskId(), hash, target, false, 0, null, now));
          backupsQueued = true;
        }
      }
      update(
          r.toBuilder()
              .state(TaskState.SUCCEEDED)
              .endedAt(now)
              .outputs(c.outputs())
              .artifact(hash)
              .cacheKey(c.cacheKey())
              .build());
      event(
          EventType.TASK_COMPLETED,
          c.taskId(),
          c.attempt(),
          "succeeded in " + Durations.format(Duration.between(r.startedAt(), now)));
      settle(c.taskId());
    } else {
      failed(r, c.failure(), now);
    }
  }

  private void reuse(TaskRunRecord r, Completion c, Instant now) {
    TaskRunRecord from = c.hit().from();
    values.succeeded(r.taskId(), from.outputs(), c.hit().dir());
    update(
        r.toBuilder()
            .state(TaskState.SKIPPED_CACHED)
            .endedAt(now)
            .outputs(from.outputs())
            .artifact(from.artifact())
            .cacheKey(c.cacheKey())
            .build());
    event(
        EventType.TASK_CACHED,
        r.taskId(),
        c.attempt(),
        "reused the result of task '"
            + from.taskId()
            + "' in run "
            + from.runId()
            + (from.artifact() == null
                ? ""
                : " (artifact " + from.artifact().substring(0, 12) + ")"));
    settle(r.taskId());
  }

  /**
   * Whether running {@code spec} again gives the same result, with no effect beyond its own files:
   * its type says so ({@link Task#idempotent(Map)}), or the flow does with {@code cache: true}.
   * ({@code cache: false} only asks for a fresh result.)
   */
  private boolean idempotent(TaskSpec spec) {
    return Boolean.TRUE.equals(spec.cache())
        || parts.tasks().get(spec.type()).idempotent(spec.config());
  }

  /**
   * How the attempt finds its cache key and an earlier result; null when the task is not cached
   * ({@code cache: false}, or a type that is not idempotent and no {@code cache: true}).
   */
  private TaskAttempt.Cache cacheFor(TaskSpec spec) {
    Task task = parts.tasks().get(spec.type());
    if (!(spec.cache() != null ? spec.cache() : task.idempotent(spec.config()))) {
      return null;
    }
    Map<String, String> upstream = new HashMap<>();
    for (String u : dag.upstreamOf(spec.id())) {
      String hash = records.get(u).artifact();
      if (hash != null) {
        upstream.put(values.dirOf(u), hash);
      }
    }
    boolean forced = cachePolicy.forced(spec.id());
    Map<String, String> params = run.params();
    String us = parts.owner() + "/" + run.runId() + "/" + spec.id() + "/";
    return new TaskAttempt.Cache() {
      @Override
      public String key(Map<String, Object> resolvedConfig) throws Exception {
        return CacheKeys.key(task, resolvedConfig, params, upstream);
      }

      @Override
      public Completion.CacheHit lookup(String key, Cancellation cancellation)
          throws InterruptedException {
        String me = us + System.nanoTime();
        Instant giveUp = parts.clock().instant().plus(CLAIM_PATIENCE);
        while (true) {
          if (!forced) {
            Completion.CacheHit hit = reusable(key);
            if (hit != null) {
              return hit;
            }
          }
          if (parts.store().claimCacheKey(key, me, null, parts.clock().instant())) {
            claims.put(key, me);
            return null;
          }
          String holder = parts.store().cacheKeyHolder(key).orElse(null);
          boolean takeOver =
              holder != null
                  && (holder.startsWith(us)
                      || holderIsGone(holder)
                      || parts.clock().instant().isAfter(giveUp));
          if (takeOver && parts.store().claimCacheKey(key, me, holder, parts.clock().instant())) {
            claims.put(key, me);
            return null;
          }
          if (cancellation.await(CLAIM_POLL)) {
            return null; // the attempt is being stopped; it fails as cancelled
          }
        }
      }

      @Override
      public void release(String key) {
        String me = claims.remove(key);
        if (me != null) {
          parts.store().releaseCacheKey(key, me);
        }
      }

      private final Map<String, String> claims = new java.util.concurrent.ConcurrentHashMap<>();

      private Completion.CacheHit reusable(String key) {
        return parts
            .store()
            .latestSucceededWithCacheKey(key)
            .map(
                from -> {
                  if (from.artifact() == null) {
                    return new Completion.CacheHit(from, null);
                  }
                  String dir = reusableDir(from);
                  return dir == null ? null : new Completion.CacheHit(from, dir);
                })
            .orElse(null);
      }
    };
  }

  /** A claim's holder ({@code pid@host/run/task/n}) is gone if its process no longer lives here. */
  private boolean holderIsGone(String holder) {
    try {
      io.alphaflow.core.execution.Owner owner =
          io.alphaflow.core.execution.Owner.parse(holder.substring(0, holder.indexOf('/')));
      return !owner.mayBeAlive(null, parts.clock().instant(), Duration.ZERO)
          && owner.host().equals(io.alphaflow.core.execution.Owner.self().host());
    } catch (RuntimeException e) {
      return true;
    }
  }

  /** Where a task run's files still are, checked against its checkpoint marker; else null. */
  private String reusableDir(TaskRunRecord r) {
    if (r.artifact() == null) {
      return null;
    }
    return parts
        .store()
        .artifactOf(r.runId(), r.taskId())
        .or(() -> parts.store().findArtifact(r.artifact()))
        .map(Artifact::path)
        .filter(p -> Checkpoints.isComplete(Path.of(p), r.artifact()))
        .orElse(null);
  }

  /** Lineage: the artifacts of the tasks this one depends on directly. */
  private Artifact artifactOf(String taskId, ContentHash.Result files, Instant now) {
    List<String> inputs = new ArrayList<>();
    for (String u : dag.upstreamOf(taskId)) {
      String h = records.get(u).artifact();
      if (h != null && !inputs.contains(h)) {
        inputs.add(h);
      }
    }
    return new Artifact(
        files.hash(),
        run.runId(),
        taskId,
        specs.get(taskId).type(),
        parts.tasks().get(specs.get(taskId).type()).codeVersion(),
        values.dirOf(taskId),
        files.sizeBytes(),
        files.files(),
        now,
        inputs,
        specs.get(taskId).retentionDays() == null
            ? null
            : now.plus(java.time.Duration.ofDays(specs.get(taskId).retentionDays())));
  }

  private void failed(TaskRunRecord r, Failure failure, Instant now) {
    RetryPolicy policy = policies.get(r.taskId());
    if (policy.retries(failure, r.countedAttempts())) {
      Instant at = now.plus(policy.delayBefore(r.countedAttempts() + 1, parts.random()));
      update(
          r.toBuilder()
              .state(TaskState.RETRYING)
              .endedAt(now)
              .nextAttemptAt(at)
              .exitCode(failure.exitCode())
              .error(failure.message())
              .build());
      event(
          EventType.TASK_RETRYING,
          r.taskId(),
          r.attempt(),
          "attempt "
              + r.attempt()
              + " of "
              + (policy.maxAttempts() + r.attemptFloor())
              + " failed: "
              + failure.message()
              + "; next attempt in "
              + Durations.format(Duration.between(now, at))
              + " at "
              + at.truncatedTo(ChronoUnit.MILLIS));
      retries.add(new Timer(at, r.taskId(), r.attempt()));
    } else {
      fail(r, failure, now);
    }
  }

  private void fail(TaskRunRecord r, Failure failure, Instant now) {
    RetryPolicy policy = policies.get(r.taskId());
    boolean timedOut = failure.kind() == FailureKind.TIMEOUT;
    String message =
        "task '"
            + r.taskId()
            + "' failed on attempt "
            + r.attempt()
            + " of "
            + (policy.maxAttempts() + r.attemptFloor())
            + (failure.nonRetryable() ? " (not retryable)" : "")
            + ": "
            + failure.message();
    update(
        r.toBuilder()
            .state(timedOut ? TaskState.TIMED_OUT : TaskState.FAILED)
            .endedAt(now)
            .exitCode(failure.exitCode())
            .error(message)
            .build());
    event(
        timedOut ? EventType.TASK_TIMED_OUT : EventType.TASK_FAILED,
        r.taskId(),
        r.attempt(),
        message);
    settle(r.taskId());
  }

  private void expireTimeouts(Instant now) {
    List<String> expired = new ArrayList<>();
    running.forEach(
        (id, s) -> {
          if (s.deadline() != null && !now.isBefore(s.deadline())) {
            expired.add(id);
          }
        });
    for (String id : expired) {
      Running s = running.remove(id);
      String why = "timed out after " + Durations.format(specs.get(id).timeout());
      stop(s, why);
      failed(records.get(id), Failure.timeout(why), now);
    }
  }

  private void fireRetries(Instant now) {
    while (!retries.isEmpty() && !now.isBefore(retries.peek().at())) {
      Timer t = retries.poll();
      TaskRunRecord r = records.get(t.taskId());
      if (r.state() == TaskState.RETRYING && r.attempt() == t.attempt()) {
        queue(t.taskId(), r, now);
      }
    }
  }

  private void timeOutFlow(Instant now) {
    String why = "flow timed out after " + Durations.format(flowTimeout);
    stopEverything(
        why, (id, r) -> fail(r, new Failure(FailureKind.TIMEOUT, why, null, true), now), now);
    stopReason = why;
    flowDeadline = null;
  }

  /** Acts on a cancel request; an explicit resume clears old ones before the loop starts. */
  private void pollControl(Instant now) {
    nextControlPoll = now.plus(CONTROL_POLL);
    if (cancelReason != null) {
      return;
    }
    checkApprovals(now);
    parts
        .store()
        .cancelRequest(run.runId())
        .ifPresent(
            c -> {
              cancelReason = c.reason();
              String why = "cancelled: " + c.reason();
              stopEverything(why, (id, r) -> cancel(r, why, now), now);
            });
  }

  /** Stops running attempts ({@code running} says how each ends) and cancels all that waits. */
  private void stopEverything(
      String why, java.util.function.BiConsumer<String, TaskRunRecord> running, Instant now) {
    for (Map.Entry<String, Running> e : new ArrayList<>(this.running.entrySet())) {
      this.running.remove(e.getKey());
      stop(e.getValue(), why);
      running.accept(e.getKey(), records.get(e.getKey()));
    }
    ready.clear();
    retries.clear();
    awaiting.clear();
    for (String id : dag.topologicalOrder()) {
      TaskRunRecord r = records.get(id);
      if (!r.state().isTerminal()) {
        cancel(r, why, now);
      }
    }
  }

  private void cancel(TaskRunRecord r, String why, Instant now) {
    update(r.toBuilder().state(TaskState.CANCELLED).endedAt(now).error(why).build());
    event(EventType.TASK_CANCELLED, r.taskId(), r.attempt(), why);
    settle(r.taskId());
  }

  private static void stop(Running s, String why) {
    s.cancellation().cancel(why);
    if (s.future() != null) {
      s.future().cancel(true);
    }
  }

  private void settle(String id) {
    terminal++;
    settled.add(id);
  }

  /** Lets downstream tasks react to tasks that ended, breadth first (no deep recursion). */
  private void drainSettled(Instant now) {
    while (!settled.isEmpty()) {
      String id = settled.poll();
      completeStage(id);
      for (String d : dag.downstreamOf(id)) {
        if (records.get(d).state() == TaskState.PENDING) {
          evaluate(d, now);
        }
      }
    }
  }

  private void startStage(String taskId) {
    flow.stageOf(taskId)
        .ifPresent(
            s -> {
              if (startedStages.add(s.id())) {
                event(EventType.STAGE_STARTED, s.id(), 0, "stage '" + s.id() + "' started");
              }
            });
  }

  private void completeStage(String taskId) {
    if (flow.stages().isEmpty()) {
      return;
    }
    flow.stageOf(taskId)
        .ifPresent(
            s -> {
              if (s.taskIds().stream().allMatch(t -> records.get(t).state().isTerminal())) {
                startStage(taskId);
                long failedCount =
                    s.taskIds().stream().filter(t -> records.get(t).state().isFailure()).count();
                event(
                    EventType.STAGE_COMPLETED,
                    s.id(),
                    0,
                    "stage '"
                        + s.id()
                        + "' ended: "
                        + (s.taskIds().size() - failedCount)
                        + " of "
                        + s.taskIds().size()
                        + " tasks ok");
              }
            });
  }

  private void finish(Instant now) {
    List<String> failedTasks =
        dag.topologicalOrder().stream()
            .filter(id -> records.get(id).state().isFailure())
            .map(id -> id + " (" + records.get(id).state() + ")")
            .toList();
    String took = Durations.format(Duration.between(run.createdAt(), now));
    if (cancelReason != null) {
      String why = "cancelled: " + cancelReason;
      run = run.withState(RunState.CANCELLED, now, why);
      event(EventType.WORKFLOW_CANCELLED, null, 0, why);
    } else if (failedTasks.isEmpty()) {
      run = run.withState(RunState.SUCCEEDED, now, null);
      event(
          EventType.WORKFLOW_COMPLETED,
          null,
          0,
          "succeeded; " + specs.size() + " tasks, " + took + " since created");
    } else {
      String prefix = stopReason != null ? stopReason + "; " : "";
      String why =
          prefix
              + failedTasks.size()
              + " of "
              + specs.size()
              + " tasks did not succeed: "
              + String.join(", ", failedTasks);
      run = run.withState(RunState.FAILED, now, why);
      event(EventType.WORKFLOW_FAILED, null, 0, why);
    }
    batch.run(run);
  }

  private void update(TaskRunRecord r) {
    records.put(r.taskId(), r);
    batch.task(r);
  }

  private void event(EventType type, String taskId, int attempt, String message) {
    batch.event(new Event(run.runId(), type, taskId, attempt, parts.clock().instant(), message));
  }

  private void waitForWork(Instant now) {
    Instant wake = nextControlPoll.isBefore(nextHeartbeat) ? nextControlPoll : nextHeartbeat;
    for (Running s : running.values()) {
      if (s.deadline() != null && s.deadline().isBefore(wake)) {
        wake = s.deadline();
      }
    }
    if (!retries.isEmpty() && retries.peek().at().isBefore(wake)) {
      wake = retries.peek().at();
    }
    if (flowDeadline != null && flowDeadline.isBefore(wake)) {
      wake = flowDeadline;
    }
    long nanos = Math.max(0, Duration.between(now, wake).toNanos());
    try {
      woke = completions.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while waiting for tasks of run " + run.runId(), e);
    }
  }

  private RunResult result() {
    List<TaskRunRecord> ordered = flow.tasks().stream().map(t -> records.get(t.id())).toList();
    return new RunResult(run.runId(), run.state(), run.error(), ordered);
  }
}
